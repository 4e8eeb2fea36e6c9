import type { z } from 'zod';
import { GatehouseError, type ValidateRequestNode } from '../../../core/index.js';
import { type ArgumentIssue, type Contract, dedupe, describe } from '../../catalog/contract.js';
import { readParams } from '../../catalog/deserialize.js';
import type { Exchange } from '../exchange.js';
import type { NodeCompiler } from '../step.js';

const JSON_TYPE = /^application\/([\w.+-]*\+)?json\b/i;

function parameterIssues(x: Exchange, contract: Contract): ArgumentIssue[] {
  if (!contract.hasParameters) return [];
  const validate = contract.validateRest();
  if (!validate) return [];
  const request = x.vars().request;
  // Values read by their declared styles (`a,b` for an array is two items), as fresh copies: the validator coerces in place ("5" → 5).
  const data = readParams(contract.parameters, { path: request.params, query: x.query, headers: request.headers });
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => describe(e, 'request'));
}

function bodyIssues(x: Exchange, contract: Contract): ArgumentIssue[] {
  if (!contract.hasBody) return [];
  const body = x.requestBody;
  if (body === null || body.length === 0) return contract.bodyRequired ? [{ path: 'request.body', message: 'is required' }] : [];
  const contentType = String(x.requestHeaders['content-type'] ?? '');
  // Only JSON bodies are checked against the schema; other media types pass through as sent.
  if (contentType !== '' && !JSON_TYPE.test(contentType)) return [];
  const value = x.requestJson();
  if (value === undefined) return [{ path: 'request.body', message: 'is not valid JSON' }];
  const validate = contract.validateBody;
  if (!validate || validate(value)) return [];
  return (validate.errors ?? []).map((e) => describe(e, 'request.body'));
}

/** Checks parameters and the JSON body against the endpoint's contract (compiled once per endpoint); refuses with 400 naming every bad field. */
export const compileValidateRequest: NodeCompiler<z.output<typeof ValidateRequestNode>> = (node, env) => {
  return (x) => {
    const endpoint = x.ctx.endpoint;
    const contract = endpoint === null ? undefined : env.services.contract(endpoint.id);
    if (contract === undefined) return;
    const issues = [...(node.parameters ? parameterIssues(x, contract) : []), ...(node.body ? bodyIssues(x, contract) : [])];
    if (issues.length > 0) {
      const list = dedupe(issues).slice(0, 50);
      throw new GatehouseError('GATEHOUSE_REQUEST_INVALID', `${list[0]!.path} ${list[0]!.message}`, list);
    }
    x.note(`${node.id}:valid`);
  };
};
