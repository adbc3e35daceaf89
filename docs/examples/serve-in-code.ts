import { createServer, installShutdown } from 'openlines-bot';
import supportBot from '../../bots/support/bot';

async function main(): Promise<void> {
  const server = createServer({ bots: [supportBot] }); // configuration from process.env
  server.app.get('/hello', (_req, res) => void res.send('hi')); // add routes before listen()
  const { url } = await server.listen();
  installShutdown(server, { deadlineMs: 15_000 });
  console.log(`serving at ${url}`);
}

void main();
