/**
 * `npm run admin -- …`: accounts and personal access tokens of the editor server (DATA_DIR).
 *
 *   npm run admin -- user add --email E --name "N" --role contributeur|relecteur|administrateur [--password P]
 *     (without --password: prints a one-time invitation link, alone on its last line, for the person to choose theirs)
 *   npm run admin -- token create --email E [--label "usage"]   (prints the token alone on its last line)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Accounts, newUserSchema } from '../editor-server/src/accounts/accounts.ts';
import { configFromEnvironment, resolveConfig } from '../editor-server/src/config.ts';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { siteAddress } from '../core/site-address.ts';

const usage = `Usage :
  npm run admin -- user add --email E --name "Nom" --role contributeur|relecteur|administrateur [--password P]
  npm run admin -- token create --email E [--label "usage du jeton"]`;

const tokenSchema = z.object({
  /** Email of the account the token belongs to. */
  email: z.email('adresse e-mail invalide'),
  /** What the token is for. */
  label: z.string().min(1).optional(),
});

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, label: { type: 'string' } },
  });
  const command = positionals.join(' ');
  const config = resolveConfig(configFromEnvironment(process.env));
  const db = openDatabase(join(config.dataDir, 'terreau.sqlite'));
  const accounts = new Accounts(db);
  try {
    if (command === 'user add') {
      const input = parseWithFriendlyErrors(newUserSchema, values, 'arguments');
      const user = await accounts.addUser(input);
      console.log(`Compte créé : ${user.name} <${user.email}>, ${user.role} (id ${user.id})`);
      if (!input.password) {
        // No e-mail server: the administrator passes the link on; it works once.
        const invitation = accounts.createInvitation(user.id);
        const site = siteAddress({ siteUrl: config.siteUrl, host: config.host, port: config.port });
        console.log(`Lien d’invitation à transmettre (une seule utilisation, valable jusqu’au ${new Date(invitation.expiresAt).toLocaleDateString('fr-FR', { dateStyle: 'long' })}) :`);
        console.log(new URL(`/editer/invitation/#${invitation.code}`, site).href);
      }
    } else if (command === 'token create') {
      const input = parseWithFriendlyErrors(tokenSchema, values, 'arguments');
      const user = accounts.findByEmail(input.email);
      if (!user) throw new Error(`aucun compte pour ${input.email} : créez-le avec « npm run admin -- user add »`);
      const { token } = accounts.createToken(user.id, input.label);
      console.log(`Jeton personnel de ${user.name} (affiché une seule fois) :`);
      console.log(token);
    } else {
      throw new Error(`commande inconnue « ${command} »\n${usage}`);
    }
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
