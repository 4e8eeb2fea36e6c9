import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, in PEM. */
export interface Issued {
  cert: string;
  key: string;
}

/** A test CA made with the openssl CLI, issuing server and client certificates. */
export interface TestCa extends Issued {
  /** A server certificate for 127.0.0.1 and localhost. */
  server(cn?: string): Issued;
  /** A client certificate; `expired` backdates it to a window that has passed. */
  client(cn: string, opts?: { expired?: boolean; passphrase?: string }): Issued;
  /** A CA issued by this one; the client certificates it issues carry it after the leaf (a chain). */
  intermediate(name: string): TestCa;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

const CA_EXTENSIONS = 'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n';

/** Makes a CA (EC P-256) in a temporary directory, self-signed or issued by `parent`; `cleanup` removes it. */
export function createTestCa(name = 'Gatehouse Test CA', parent?: { dir: string; cert: string }): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ca-'));
  if (parent) {
    openssl(
      ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', join(dir, 'ca.csr'), '-subj', `/CN=${name}`],
      dir,
    );
    writeFileSync(join(dir, 'ca.ext'), CA_EXTENSIONS);
    openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        join(dir, 'ca.csr'),
        '-out',
        join(dir, 'ca.crt'),
        '-extfile',
        join(dir, 'ca.ext'),
        '-days',
        '3',
      ],
      parent.dir,
    );
  } else {
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-subj',
        `/CN=${name}`,
        '-days',
        '3',
      ],
      dir,
    );
  }
  const caCert = readFileSync(join(dir, 'ca.crt'), 'utf8');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  let n = 0;
  const issue = (cn: string, ext: string, dates: string[], passphrase?: string): Issued => {
    const id = `leaf${++n}`;
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${cn}`], dir);
    writeFileSync(join(dir, `${id}.ext`), ext);
    openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        `${id}.csr`,
        '-out',
        `${id}.crt`,
        '-extfile',
        `${id}.ext`,
        ...dates,
      ],
      dir,
    );
    let key = readFileSync(join(dir, `${id}.key`), 'utf8');
    if (passphrase) {
      openssl(['pkey', '-in', `${id}.key`, '-aes256', '-passout', `pass:${passphrase}`, '-out', `${id}.enc.key`], dir);
      key = readFileSync(join(dir, `${id}.enc.key`), 'utf8');
    }
    const leaf = readFileSync(join(dir, `${id}.crt`), 'utf8');
    return { cert: parent ? `${leaf}${caCert}` : leaf, key };
  };
  return {
    cert: caCert,
    key: readFileSync(join(dir, 'ca.key'), 'utf8'),
    server: (cn = 'localhost') => issue(cn, 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n', ['-days', '2']),
    client: (cn, opts = {}) =>
      issue(
        cn,
        `subjectAltName = DNS:${cn}.clients.test\nextendedKeyUsage = clientAuth\n`,
        opts.expired ? ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z'] : ['-days', '2'],
        opts.passphrase,
      ),
    intermediate: (sub) => createTestCa(sub, { dir, cert: caCert }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
