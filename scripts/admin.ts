/**
 * `npm run admin -- …`: accounts and personal access tokens of the editor server (the SQLite file
 * under DATA_DIR, or the PostgreSQL database of DATABASE_URL when several servers share it).
 *
 *   npm run admin -- user add --email E --name "N" --role contributeur|relecteur|administrateur [--password P]
 *     (without --password: prints a one-time invitation link, alone on its last line, for the person to choose theirs)
 *   npm run admin -- token create --email E [--label "usage"]   (prints the token alone on its last line)
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Accounts, newUserSchema } from '../editor-server/src/accounts/accounts.ts';
import { configFromEnvironment, resolveConfig } from '../editor-server/src/config.ts';
import { openSqlDatabase } from '../editor-server/src/storage/open-sql.ts';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { ProblemError } from '../core/problem.ts';
import { siteAddress } from '../core/site-address.ts';

const usage = `Utilisation : npm run admin -- <commande> [options]

Gère les comptes et les jetons du serveur d’édition (base dans DATA_DIR, par défaut ./data,
ou la base PostgreSQL de DATABASE_URL quand plusieurs serveurs la partagent).

Commandes :
  user add      crée un compte
                  --email E         adresse e-mail de connexion (jamais publiée)
                  --name "Nom"      nom affiché aux coéditeurs et dans l’historique
                  --role R          contributeur, relecteur ou administrateur
                  --password P      mot de passe (10 caractères au moins) ; facultatif :
                                    sans lui, affiche un lien d’invitation à usage unique
  token create  crée un jeton personnel pour l’API et la collaboration (affiché une seule fois)
                  --email E         compte auquel le jeton appartient
                  --label "usage"   à quoi sert le jeton ; facultatif

Options :
  -h, --help    affiche cette aide

Exemples :
  npm run admin -- user add --email claire@exemple.fr --name "Claire Martin" --role relecteur --password "une phrase longue"
  npm run admin -- token create --email claire@exemple.fr --label "import du jeudi"`;

const tokenSchema = z.object({
  /** Email of the account the token belongs to. */
  email: z.email('adresse e-mail invalide'),
  /** What the token is for. */
  label: z.string().min(1).optional(),
});

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = readArguments(argv);
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help' || command === 'aide') {
    console.log(usage);
    return;
  }
  delete values.help;
  const config = resolveConfig(configFromEnvironment(process.env));
  const database = await openSqlDatabase(config);
  const accounts = await Accounts.open(database.sql);
  try {
    if (command === 'user add') {
      const input = parseWithFriendlyErrors(newUserSchema, values, 'arguments');
      const user = await accounts.addUser(input);
      console.log(`Compte créé : ${user.name} <${user.email}>, ${user.role} (id ${user.id})`);
      if (!input.password) {
        // No e-mail server: the administrator passes the link on; it works once.
        const invitation = await accounts.createInvitation(user.id);
        const site = siteAddress({ siteUrl: config.siteUrl, host: config.host, port: config.port });
        console.log(`Lien d’invitation à transmettre (une seule utilisation, valable jusqu’au ${new Date(invitation.expiresAt).toLocaleDateString('fr-FR', { dateStyle: 'long' })}) :`);
        console.log(new URL(`/editer/invitation/#${invitation.code}`, site).href);
      }
    } else if (command === 'token create') {
      const input = parseWithFriendlyErrors(tokenSchema, values, 'arguments');
      const user = await accounts.findByEmail(input.email);
      if (!user) throw new Error(`aucun compte pour ${input.email} : créez-le avec « npm run admin -- user add »`);
      const { token } = await accounts.createToken(user.id, input.label);
      console.log(`Jeton personnel de ${user.name} (affiché une seule fois) :`);
      console.log(token);
    } else {
      throw new Error(`commande inconnue « ${command} »\n${usage}`);
    }
  } finally {
    await database.close();
  }
}

const options = {
  email: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  label: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads the command line; node's own errors are in English, so they are said again in French. */
function readArguments(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new Error(`option inconnue « ${option} »\n\n${usage}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new Error(`l’option « ${option.split(' ')[0]} » attend une valeur, par exemple --role relecteur\n\n${usage}`);
    throw error;
  }
}

main(process.argv.slice(2)).catch((error) => {
  // Problems name schema fields; on the command line they are options.
  if (error instanceof ProblemError) console.error(error.problems.map((p) => `option --${p.field} : ${p.message}`).join('\n'));
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
