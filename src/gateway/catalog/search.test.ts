import { describe, expect, it } from 'vitest';
import { type DocFields, indexDoc, SearchIndex } from './search.js';

const doc = (method: string, path: string, summary: string, extra: Partial<DocFields> = {}) =>
  indexDoc({ method, path, summary, description: '', collection: 'shop', ...extra });

const DOCS = [
  doc('GET', '/orders', 'List orders'),
  doc('POST', '/orders', 'Create an order'),
  doc('DELETE', '/orders/{id}', 'Delete an order'),
  doc('GET', '/customers', 'List customers'),
  doc('PATCH', '/customers/{id}', 'Update a customer'),
  doc('GET', '/orders/{id}/items', 'List the items of an order'),
];

describe('endpoint search', () => {
  const index = new SearchIndex(DOCS);
  const all = () => true;

  it('ranks the operation a request names first, with verbs preferring their method', () => {
    expect(index.search('create order', all, 3)[0]!.doc).toBe(1);
    expect(index.search('delete an order', all, 3)[0]!.doc).toBe(2);
    expect(index.search('update customer', all, 3)[0]!.doc).toBe(4);
  });

  it('returns at most `limit` hits, best first, in the same order as the full ranking', () => {
    const full = index.search('order', all, 50);
    expect(full.length).toBeGreaterThan(2);
    for (let i = 1; i < full.length; i++) {
      const [a, b] = [full[i - 1]!, full[i]!];
      expect(a.score > b.score || (a.score === b.score && a.doc < b.doc)).toBe(true);
    }
    expect(index.search('order', all, 2)).toEqual(full.slice(0, 2));
    expect(index.search('order', all, 0)).toEqual([]);
  });

  it('leaves out documents the caller cannot see, and one search never leaks into the next', () => {
    const hidden = index.search('order', (i) => i !== 1, 50);
    expect(hidden.map((h) => h.doc)).not.toContain(1);
    // A word only hidden documents hold finds nothing, even right after a search that scored them.
    index.search('create order', all, 10);
    expect(index.search('create', (i) => i !== 1, 10).every((h) => h.doc !== 1)).toBe(true);
    expect(index.search('customers', all, 10)).toEqual(index.search('customers', all, 10));
    expect(index.search('nothing matches this', all, 10)).toEqual([]);
  });
});

describe('endpoint search over a larger corpus', () => {
  // A fixed corpus of 400 operations and 60 queries; the digest of every result list was first taken
  // from the index as it was before its postings were packed into shared arrays, and taken again when
  // singular and plural became ranking cues, and when synonyms, derived words and the list and create
  // cues came (issue 53): the ranking (scores and order) must not move by accident.
  const WORDS = 'order customer invoice payment item user group message thread channel report entity device policy token'.split(' ');
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const corpus = Array.from({ length: 400 }, (_, i) =>
    indexDoc({
      method: pick(METHODS),
      path: `/${pick(WORDS)}s/{id}/${pick(WORDS)}s${i % 7 === 0 ? '/{sub}' : ''}`,
      summary: `${pick(['List', 'Create', 'Update', 'Delete', 'Get'])} the ${pick(WORDS)} of a ${pick(WORDS)}`,
      operationId: i % 3 === 0 ? `${pick(WORDS)}_${pick(WORDS)}${i}` : undefined,
      tags: i % 4 === 0 ? [pick(WORDS)] : undefined,
      description: i % 2 === 0 ? `Returns ${pick(WORDS)} and ${pick(WORDS)} records for ${pick(WORDS)}.` : '',
      collection: pick(['shop', 'crm', 'graph']),
    }),
  );
  const queries = Array.from({ length: 60 }, () => `${pick(['create', 'list', 'update', 'delete', 'show'])} ${pick(WORDS)} ${pick(WORDS)}`);

  it('keeps the same best hits whatever the limit (documents that cannot reach them are passed over)', () => {
    const index = new SearchIndex(corpus);
    for (const q of queries) {
      const full = index.search(q, () => true, corpus.length);
      for (const limit of [1, 3, 10]) expect(index.search(q, () => true, limit)).toEqual(full.slice(0, limit));
    }
  });

  it('ranks as before the postings were packed', async () => {
    const index = new SearchIndex(corpus);
    const results = queries.map((q, k) => index.search(q, (i) => (i + k) % 5 !== 0, 10));
    expect(results.flat().length).toBeGreaterThan(400);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(JSON.stringify(results)).digest('hex')).toBe('c704eb5cbe3f7b2f02b733185b8d5882a5e49d10d8f31d5fbe382fa218f2b614');
  });
});

describe('single-item intents', () => {
  // Summaries as real descriptions write them: the demo orders API's, GitHub's, Stripe's.
  const DOCS = [
    doc('GET', '/orders', 'List orders', { operationId: 'listOrders', description: 'Returns the orders, newest first.' }),
    doc('POST', '/orders', 'Create an order', { operationId: 'createOrder' }),
    doc('GET', '/orders/{id}', 'Get one order', { operationId: 'getOrder' }),
    doc('DELETE', '/orders/{id}', 'Cancel an order', { operationId: 'cancelOrder' }),
    doc('GET', '/customers', 'List all customers', { operationId: 'ListCustomers' }),
    doc('GET', '/customers/{customer}', 'Retrieve a customer', { operationId: 'GetCustomersCustomer' }),
    doc('GET', '/repos/{owner}/{repo}/issues', 'List repository issues', { operationId: 'issues/list-for-repo' }),
    doc('GET', '/repos/{owner}/{repo}/issues/{issue_number}', 'Get an issue', { operationId: 'issues/get' }),
  ];
  const index = new SearchIndex(DOCS);
  const first = (q: string) => index.search(q, () => true, 5)[0]!.doc;

  it('puts the {id} operation above the list for "a single …", "one … by id", "… details"', () => {
    expect(first('look up a single order')).toBe(2);
    expect(first('get one customer by id')).toBe(5);
    expect(first('fetch the details of an order')).toBe(2);
    expect(first('find a specific customer')).toBe(5);
    expect(first('show one issue by its number')).toBe(7);
  });

  it('still puts the list first for lists', () => {
    expect(first('list orders')).toBe(0);
    expect(first('list all customers')).toBe(4);
    expect(first('search issues of a repository')).toBe(6);
  });
});

describe('singular and plural', () => {
  // Several APIs' operations, summaries as their descriptions write them (Swagger's petstore, Stripe, GitHub, a generated CRUD API).
  const DOCS = [
    doc('GET', '/pets', 'List all pets', { operationId: 'listPets', collection: 'petstore' }),
    doc('POST', '/pets', 'Create a pet', { operationId: 'createPets', collection: 'petstore' }),
    doc('GET', '/pets/{petId}', 'Info for a specific pet', { operationId: 'showPetById', collection: 'petstore' }),
    doc('GET', '/v1/invoices', 'List all invoices', { operationId: 'GetInvoices', collection: 'stripe' }),
    doc('GET', '/v1/invoices/{invoice}', 'Retrieve an invoice', { operationId: 'GetInvoicesInvoice', collection: 'stripe' }),
    doc('POST', '/v1/invoices/{invoice}', 'Update an invoice', { operationId: 'PostInvoicesInvoice', collection: 'stripe' }),
    doc('GET', '/users', 'List users', { operationId: 'users/list', collection: 'github' }),
    doc('GET', '/users/{username}', 'Get a user', { operationId: 'users/get-by-username', collection: 'github' }),
    doc('GET', '/user/repos', 'List repositories for the authenticated user', { operationId: 'repos/list-for-authenticated-user', collection: 'github' }),
    doc('GET', '/user', 'Get the authenticated user', { operationId: 'users/get-authenticated', collection: 'github' }),
    // A generated API whose item summary ("Get order") matches "get orders" word for word once plurals are stemmed.
    doc('GET', '/orders', 'List orders', { operationId: 'listOrders', collection: 'crud' }),
    doc('GET', '/orders/{id}', 'Get order', { operationId: 'getOrder', collection: 'crud' }),
    doc('GET', '/customers', 'Get customers', { operationId: 'getCustomers', collection: 'crud' }),
    doc('GET', '/customers/{customerId}', 'Get customer', { operationId: 'getCustomer', collection: 'crud' }),
    doc('POST', '/customers', 'Create customer', { operationId: 'createCustomer', collection: 'crud' }),
  ];
  const index = new SearchIndex(DOCS);
  const first = (q: string) => {
    const d = DOCS[index.search(q, () => true, 5)[0]!.doc]!;
    return `${d.method} ${DOCS.indexOf(d)}`;
  };
  const at = (method: string, i: number) => `${method} ${i}`;

  it('a resource named in the singular finds the {id} operation', () => {
    expect(first('get a pet')).toBe(at('GET', 2));
    expect(first('look up a single pet')).toBe(at('GET', 2));
    expect(first('get an invoice')).toBe(at('GET', 4));
    expect(first('get the user alice')).toBe(at('GET', 7));
    // A path ending in a singular word is itself one item.
    expect(first('get the authenticated user')).toBe(at('GET', 9));
    expect(first('get an order')).toBe(at('GET', 11));
    expect(first('get a customer')).toBe(at('GET', 13));
    expect(first('find a customer')).toBe(at('GET', 13));
    expect(first('get one customer by id')).toBe(at('GET', 13));
  });

  it('in the plural, or with all/list, the list operation', () => {
    expect(first('get pets')).toBe(at('GET', 0));
    expect(first('list invoices')).toBe(at('GET', 3));
    expect(first('list users')).toBe(at('GET', 6));
    expect(first('get orders')).toBe(at('GET', 10));
    expect(first('get customers')).toBe(at('GET', 12));
    expect(first('fetch all customers')).toBe(at('GET', 12));
  });

  it('creating names one item but acts on the collection', () => {
    expect(first('create a customer')).toBe(at('POST', 14));
    expect(first('create a new pet')).toBe(at('POST', 1));
  });
});

describe('the words people use for what operations say (issue 53)', () => {
  const first = (docs: ReturnType<typeof doc>[], q: string) => docs[new SearchIndex(docs).search(q, () => true, 5)[0]!.doc]!;

  it('finds an operation through a synonym of its verb or noun, but ranks the word itself first', () => {
    // Slack's Web API, whose operations have only a description.
    const slack = [
      doc('POST', '/chat.update', '', { operationId: 'chat_update', description: 'Updates a message.' }),
      doc('POST', '/chat.postMessage', '', { operationId: 'chat_postMessage', description: 'Sends a message to a channel.' }),
      doc('POST', '/chat.delete', '', { operationId: 'chat_delete', description: 'Deletes a message.' }),
    ];
    expect(first(slack, 'edit a message').method).toBe('POST');
    expect(first(slack, 'edit a message')).toBe(slack[0]);
    expect(first(slack, 'remove a message')).toBe(slack[2]);
    const tracker = [
      doc('POST', '/issues', 'Create an issue', { operationId: 'createIssue' }),
      doc('POST', '/tickets', 'Create a ticket', { operationId: 'createTicket' }),
      doc('GET', '/issues', 'List issues', { operationId: 'listIssues' }),
    ];
    expect(first(tracker, 'open a new ticket')).toBe(tracker[1]);
    expect(first(tracker, 'open a new issue')).toBe(tracker[0]);
  });

  it('a synonym is worth no more than the word asked, where the index has that word', () => {
    const docs = [
      doc('GET', '/user', 'Get the authenticated user', { operationId: 'users/get-authenticated' }),
      doc('GET', '/runners', 'List self-hosted runners', { operationId: 'actions/list-runners' }),
      doc('GET', '/user/repos', 'List repositories for the authenticated user', { operationId: 'repos/list-for-authenticated-user' }),
      doc('GET', '/user/keys', 'List public SSH keys for the authenticated user', { operationId: 'users/list-keys' }),
    ];
    expect(first(docs, 'get the authenticated user')).toBe(docs[0]);
    expect(first(docs, 'who am I')).toBe(docs[0]);
  });

  it('matches -ing and -ed forms and the nouns made from a verb', () => {
    const docs = [
      doc('GET', '/issue/{key}/watchers', 'Get issue watchers', { operationId: 'getIssueWatchers' }),
      doc('POST', '/reminders.add', '', { operationId: 'reminders_add', description: 'Creates a reminder.' }),
      doc('PUT', '/user/starred/{owner}/{repo}', 'Star a repository for the authenticated user', { operationId: 'activity/star-repo' }),
      doc('POST', '/calls.end', '', { operationId: 'calls_end', description: 'Ends a Call.' }),
    ];
    expect(first(docs, 'who is watching this issue')).toBe(docs[0]);
    expect(first(docs, 'remind me tomorrow')).toBe(docs[1]);
    expect(first(docs, 'starred repositories')).toBe(docs[2]);
  });

  it('summarizes an operation without a summary by its description’s first sentence, without markup or links', () => {
    // Stripe's description: HTML, no summaries; creating and updating are both POST.
    const stripe = [
      doc('POST', '/v1/coupons', '', {
        description: '<p>You can create coupons easily via the <a href="https://dashboard.stripe.com/coupons">coupon management</a> page.</p>',
      }),
      doc('POST', '/v1/coupons/{coupon}', '', {
        description: '<p>Updates the metadata of a coupon. Other coupon details (currency, duration) are not editable.</p>',
      }),
      doc('GET', '/v1/coupons/{coupon}', '', { description: '<p>Retrieves the coupon with the given ID.</p>' }),
      doc('GET', '/v1/webhook_endpoints', '', { description: '<p>Returns a list of your webhook endpoints.</p>' }),
    ];
    expect(first(stripe, 'make a discount coupon')).toBe(stripe[0]);
    expect(first(stripe, 'change a coupon')).toBe(stripe[1]);
    expect(first(stripe, 'look up a coupon')).toBe(stripe[2]);
    // "href", "dashboard" and "https" are the markup's and the link's words, not the operation's.
    expect(new SearchIndex(stripe).search('href dashboard https', () => true, 5)).toEqual([]);
  });

  it('finds a collection named in the singular by what its summary says (Jira)', () => {
    const jira = [
      doc('GET', '/rest/api/3/project', 'Get all projects', { operationId: 'getAllProjects' }),
      doc('GET', '/rest/api/3/project/{projectIdOrKey}', 'Get project', { operationId: 'getProject' }),
      doc('GET', '/rest/api/3/serverInfo', 'Get Jira instance info', { operationId: 'getServerInfo' }),
      doc('GET', '/rest/api/3/myself', 'Get current user', { operationId: 'getCurrentUser' }),
    ];
    expect(first(jira, 'show all projects')).toBe(jira[0]);
    expect(first(jira, 'list projects')).toBe(jira[0]);
    expect(first(jira, 'get project ABC')).toBe(jira[1]);
    expect(first(jira, 'who am I')).toBe(jira[3]);
  });
});
