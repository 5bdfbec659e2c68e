/**
 * `npm run bench -- git [--count 2000] [--commits 2000] [--rounds 5] [--webhook-rounds 2] [--quick]`:
 *
 * 1. Clones of the commons served by Terreau at `<site>/commons.git` against `git clone` of the
 *    same repository served by plain `git http-backend` (the smallest CGI wrapper), side by side,
 *    in alternating rounds: time (median) and bytes on the wire (counted by the same TCP relay
 *    in front of both), full and shallow. The commons: the synthetic tree of `--count` entries
 *    with a history of `--commits` commits by several authors (co-author trailers included).
 * 2. From a commit on the remote, announced by its webhook, to the public page updated: the
 *    server follows a remote (plain smart-HTTP server), builds the real site; each round commits
 *    a sentence on the remote, calls the webhook, and times HEAD moving and the page changing.
 *
 * Figures are printed and written to bench-reports/git.md.
 */
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer as createTcpServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { z } from 'zod';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { resolveConfig } from '../editor-server/src/config.ts';
import { readHead } from '../editor-server/src/git/commons-repo.ts';
import { createEditorServer, type EditorServer } from '../editor-server/src/server.ts';
import { startPlainGitServer } from './lib/plain-git-server.ts';

const execFileAsync = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

const argsSchema = z.object({
  /** Generated entries on top of the seed commons. */
  count: z.coerce.number().int().min(10).max(50_000).default(2000),
  /** Commits of history after the first one. */
  commits: z.coerce.number().int().min(0).max(50_000).default(2000),
  /** Clones of each server, alternated. */
  rounds: z.coerce.number().int().min(1).max(20).default(5),
  /** Webhook → page rounds (each one a full site build). */
  'webhook-rounds': z.coerce.number().int().min(0).max(10).default(2),
  /** A small run for trying the bench: 200 entries, 200 commits, 2 rounds, 1 webhook round, no report. */
  quick: z.boolean().default(false),
});

const people = ['Alice Martin', 'Bruno Petit', 'Chloé Durand', 'Dominique Leroy', 'Élise Bernard', 'Farid Haddad', 'Gaëlle Morel', 'Hugo Lefebvre', 'Inès Garnier', 'Jules Faure'];

/** Runs git and returns stdout; throws with its stderr. */
async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return stdout;
}

/** Lists the files of a tree, relative, with `/`. */
async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/**
 * Builds the commons repository with `git fast-import`: one commit of the whole tree, then
 * `commits` commits each adding a paragraph to one entry, by rotating authors, one in five with a
 * co-author. Leaves a work tree checked out, as the server keeps its commons.
 */
async function buildHistory(contentDir: string, repoDir: string, commits: number): Promise<void> {
  await git(['init', '--quiet', '--initial-branch=main', repoDir]);
  const files = (await listFiles(contentDir)).sort();
  const texts = new Map<string, string>();
  for (const file of files) texts.set(file, await readFile(join(contentDir, file), 'utf8'));
  const entries = files.filter((f) => /^(fiches|guides|retours)\/.+\.mdx$/.test(f));
  const chunks: Buffer[] = [];
  const data = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  };
  let time = Date.UTC(2024, 0, 1) / 1000;
  const commit = (author: string, message: string, changed: string[]) => {
    time += 3600;
    const email = `${author.normalize('NFD').replace(/[^A-Za-z ]/g, '').toLowerCase().replace(/ /g, '.')}@exemple.fr`;
    chunks.push(Buffer.from(`commit refs/heads/main\nauthor ${author} <${email}> ${time} +0000\ncommitter Serveur Terreau <serveur@terreau.invalid> ${time} +0000\n`));
    data(message);
    for (const file of changed) {
      chunks.push(Buffer.from(`M 100644 inline ${file}\n`));
      data(texts.get(file)!);
    }
  };
  commit(people[0]!, 'Amorcer le commun à partir du contenu initial\n', files);
  for (let i = 0; i < commits; i++) {
    const file = entries[(i * 7919) % entries.length]!;
    const author = people[i % people.length]!;
    texts.set(file, `${texts.get(file)!.trimEnd()}\n\nUn complément n° ${i + 1}, apporté par ${author} après un essai sur son territoire.\n`);
    const coAuthor = i % 5 === 0 ? `\nCo-authored-by: ${people[(i + 3) % people.length]} <co${i}@exemple.fr>\n` : '';
    commit(author, `Modifier ${file.replace(/\.mdx$/, '')} depuis l’éditeur\n${coAuthor}`, [file]);
  }
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: repoDir, stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`git fast-import : ${errors}`))));
    child.stdin.end(Buffer.concat(chunks));
  });
  await git(['checkout', '--quiet', '--force', 'main'], repoDir);
}

/** A TCP relay that counts the bytes it carries, so both servers are measured on the same wire. */
async function startRelay(target: number): Promise<{ port: number; take(): number; close(): Promise<void> }> {
  let bytes = 0;
  const server = createTcpServer((client) => {
    const upstream = tcpConnect(target, '127.0.0.1');
    client.on('data', (d) => (bytes += d.length));
    upstream.on('data', (d) => (bytes += d.length));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    take: () => {
      const taken = bytes;
      bytes = 0;
      return taken;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** One timed clone through the relay; returns seconds and bytes. */
async function timeClone(url: string, relay: { take(): number }, into: string, shallow: boolean): Promise<{ seconds: number; bytes: number }> {
  await rm(into, { recursive: true, force: true });
  relay.take();
  const started = performance.now();
  await git(['clone', '--quiet', '--no-checkout', ...(shallow ? ['--depth', '1'] : []), url, into]);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, bytes: relay.take() };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

/** Entry point of `npm run bench -- git`. */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: 'string' }, commits: { type: 'string' }, rounds: { type: 'string' }, 'webhook-rounds': { type: 'string' }, quick: { type: 'boolean' } },
  });
  const args = parseWithFriendlyErrors(argsSchema, values, 'arguments');
  const count = args.quick ? 200 : args.count;
  const commits = args.quick ? 200 : args.commits;
  const rounds = args.quick ? 2 : args.rounds;
  const webhookRounds = args.quick ? 1 : args['webhook-rounds'];
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'terreau-bench-git-'));
  const servers: { close(): Promise<void> }[] = [];
  try {
    console.log(`Arbre synthétique de ${count} entrées, historique de ${commits} commits…`);
    const contentDir = join(work, 'contenu');
    await execFileAsync(process.execPath, ['scripts/generate-synthetic.ts', '--count', String(count), '--out', contentDir], { cwd: root });
    const dataDir = join(work, 'data');
    const repoDir = join(dataDir, 'commons');
    await mkdir(dataDir, { recursive: true });
    await buildHistory(contentDir, repoDir, commits);
    const entries = (await listFiles(contentDir)).filter((f) => f.endsWith('.mdx')).length;
    const totalCommits = Number((await git(['rev-list', '--count', 'HEAD'], repoDir)).trim());

    // 1. Clones, side by side through the same relay.
    const terreau = await createEditorServer(resolveConfig({ port: 0, dataDir, siteBuild: false, quiet: true }));
    const terreauPort = await terreau.listen();
    servers.push(terreau);
    const plain = await startPlainGitServer({ root: dataDir });
    servers.push(plain);
    const relays = { terreau: await startRelay(terreauPort), plain: await startRelay(plain.port) };
    servers.push(relays.terreau, relays.plain);
    const urls = { terreau: `http://127.0.0.1:${relays.terreau.port}/commons.git`, plain: `http://127.0.0.1:${relays.plain.port}/commons` };
    const clones: Record<'terreau' | 'plain', Record<'full' | 'shallow', { seconds: number[]; bytes: number[] }>> = {
      terreau: { full: { seconds: [], bytes: [] }, shallow: { seconds: [], bytes: [] } },
      plain: { full: { seconds: [], bytes: [] }, shallow: { seconds: [], bytes: [] } },
    };
    // A first clone of each warms the disk cache; it is not counted.
    for (const side of ['terreau', 'plain'] as const) await timeClone(urls[side], relays[side], join(work, 'clone'), false);
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['full', 'shallow'] as const) {
        const order = round % 2 ? (['plain', 'terreau'] as const) : (['terreau', 'plain'] as const);
        for (const side of order) {
          const { seconds, bytes } = await timeClone(urls[side], relays[side], join(work, 'clone'), kind === 'shallow');
          clones[side][kind].seconds.push(seconds);
          clones[side][kind].bytes.push(bytes);
          console.log(`  clone ${kind === 'full' ? 'complet' : 'superficiel'} ${side === 'terreau' ? 'Terreau' : 'git http-backend'} : ${seconds.toFixed(2)} s, ${mib(bytes)} Mio`);
        }
      }
    }
    // The clone is the commons: checked by git itself.
    await git(['clone', '--quiet', urls.terreau, join(work, 'verifie')]);
    await git(['fsck', '--full', '--strict'], join(work, 'verifie'));
    await terreau.close();

    // 2. Webhook → public page.
    const webhook: { head: number; page: number }[] = [];
    if (webhookRounds > 0) {
      const remoteRoot = join(work, 'distant');
      await mkdir(remoteRoot, { recursive: true });
      await git(['clone', '--quiet', '--bare', repoDir, join(remoteRoot, 'commun.git')]);
      const remote = await startPlainGitServer({ root: remoteRoot, allowPush: true });
      servers.push(remote);
      const remoteUrl = `${remote.url}/commun.git`;
      const secret = 'secret-du-banc-de-mesure-0123456789';
      const followerData = join(work, 'suiveur');
      await mkdir(followerData, { recursive: true });
      await git(['clone', '--quiet', repoDir, join(followerData, 'commons')]);
      const server: EditorServer = await createEditorServer(
        resolveConfig({ port: 0, dataDir: followerData, quiet: true, sync: { remote: remoteUrl, webhookSecret: secret, fetchIntervalMs: 3_600_000 } }),
      );
      servers.push(server);
      const port = await server.listen();
      const base = `http://127.0.0.1:${port}`;
      console.log('Construction du site du serveur suiveur (première construction, non comptée)…');
      await server.publisher.publish().published;
      const editor = join(work, 'editeur-distant');
      await git(['clone', '--quiet', remoteUrl, editor]);
      const page = 'fiches/jardin-partage';
      for (let round = 1; round <= webhookRounds; round++) {
        const sentence = `Une phrase ajoutée sur la forge, tour ${round} (${Date.now()}).`;
        const file = join(editor, `${page}.mdx`);
        await writeFile(file, `${(await readFile(file, 'utf8')).trimEnd()}\n\n${sentence}\n`);
        await git(['-c', 'user.name=Dominique Distante', '-c', 'user.email=dominique@exemple.fr', 'commit', '--quiet', '-am', `Tour ${round}`], editor);
        await git(['push', '--quiet', 'origin', 'HEAD:main'], editor);
        const commit = (await git(['rev-parse', 'HEAD'], editor)).trim();
        const body = JSON.stringify({ ref: 'refs/heads/main', after: commit });
        const sent = performance.now();
        const answer = await fetch(`${base}/api/git/webhook`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
          body,
        });
        if (answer.status !== 202) throw new Error(`webhook : ${answer.status}`);
        // HEAD first, read as the server reads it (cheap, so polled closely), then the page.
        while ((await readHead(server.paths.repoDir)) !== commit) {
          if (performance.now() - sent > 10 * 60_000) throw new Error('HEAD jamais à jour');
          await new Promise((r) => setTimeout(r, 20));
        }
        const headAt = performance.now();
        for (;;) {
          const html = await fetch(`${base}/${page}/`).then((r) => (r.ok ? r.text() : ''));
          if (html.includes(sentence.replace(/'/g, '’'))) break;
          if (performance.now() - sent > 30 * 60_000) throw new Error('page jamais mise à jour');
          await new Promise((r) => setTimeout(r, 250));
        }
        const pageAt = performance.now();
        webhook.push({ head: (headAt - sent) / 1000, page: (pageAt - sent) / 1000 });
        console.log(`  webhook tour ${round} : HEAD à ${((headAt - sent) / 1000).toFixed(2)} s, page publique à ${((pageAt - sent) / 1000).toFixed(1)} s`);
      }
    }

    const ratio = (kind: 'full' | 'shallow', what: 'seconds' | 'bytes') => median(clones.terreau[kind][what]) / median(clones.plain[kind][what]);
    const lines = [
      '# Git : cloner le commun servi par Terreau, et suivre un dépôt distant',
      '',
      `Mesuré le ${new Date().toISOString().slice(0, 10)} par \`npm run bench -- git${args.quick ? ' --quick' : ''}\` (Node ${process.version}, ${cpus().length} cœurs, charge moyenne ${loadavg()[0]!.toFixed(1)} au début du rapport) en ${Math.round((performance.now() - started) / 60_000)} min.`,
      `Le commun : ${entries} entrées MDX (arbre synthétique de ${count} entrées sur le commun de départ), ${totalCommits} commits d’historique (${people.length} auteurs, un commit sur cinq avec un co-auteur), tel que \`git fast-import\` l’écrit (un paquet).`,
      `Clonages : Terreau (\`<site>/commons.git\`, le serveur complet) contre le même dépôt servi par \`git http-backend\` derrière le plus petit adaptateur CGI, en alternance, ${rounds} fois chacun après un clonage de chauffe ; médianes. Octets : tout ce qui passe dans les deux sens, comptés par le même relais TCP devant chaque serveur. Le clone de Terreau passe \`git fsck --full --strict\`.`,
      '',
      '| clonage | Terreau (s) | git http-backend (s) | rapport temps | Terreau (Mio) | git http-backend (Mio) | rapport octets |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...(['full', 'shallow'] as const).map(
        (kind) =>
          `| ${kind === 'full' ? 'complet' : 'superficiel (--depth 1)'} | ${median(clones.terreau[kind].seconds).toFixed(2)} | ${median(clones.plain[kind].seconds).toFixed(2)} | **${ratio(kind, 'seconds').toFixed(2)}** | ${mib(median(clones.terreau[kind].bytes))} | ${mib(median(clones.plain[kind].bytes))} | ${ratio(kind, 'bytes').toFixed(3)} |`,
      ),
      '',
      'Objectif : rapport de temps ≤ 1,2 pour le clonage complet.',
      '',
    ];
    if (webhook.length) {
      lines.push(
        '## D’un commit sur le dépôt distant à la page publique',
        '',
        'Un serveur Terreau suit un dépôt distant (un second `git http-backend`) et construit le vrai site. À chaque tour : un commit poussé sur le distant ajoute une phrase à une fiche, puis son webhook (`POST /api/git/webhook`, signé) est appelé ; on mesure jusqu’à ce que HEAD du commun soit ce commit (récupération et avance rapide par l’écrivain Git unique), puis jusqu’à ce que la page publique de la fiche montre la phrase (publication incrémentale : seules les pages que le commit touche sont reconstruites, la recherche ensuite).',
        '',
        '| tour | HEAD à jour (s) | page publique à jour (s) |',
        '|---:|---:|---:|',
        ...webhook.map((w, i) => `| ${i + 1} | ${w.head.toFixed(2)} | ${w.page.toFixed(1)} |`),
        `| médiane | ${median(webhook.map((w) => w.head)).toFixed(2)} | ${median(webhook.map((w) => w.page)).toFixed(1)} |`,
        '',
      );
    }
    const report = lines.join('\n');
    console.log(`\n${report}`);
    if (!args.quick) {
      await mkdir(join(root, 'bench-reports'), { recursive: true });
      await writeFile(join(root, 'bench-reports/git.md'), report);
      console.log('Rapport : bench-reports/git.md');
    }
  } finally {
    for (const server of servers.reverse()) await server.close().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
