// Prints the scrypt hash of a password read from standard input, for config/users.yaml:
//   printf '%s' 'mot-de-passe' | npx tsx web/hash-password.ts
import { hashPassword } from './auth';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
if (password.length < 8) {
  console.error('hash-password: give a password of at least 8 characters on standard input');
  process.exit(2);
}
console.log(await hashPassword(password));
