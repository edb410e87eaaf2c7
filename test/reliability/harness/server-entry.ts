/**
 * The reliability suite's server process: exactly what `redcap-sms serve` runs (config from the
 * environment, the project file, `startService`), with one probe at the Twilio edge. Each send is
 * appended to RELIABILITY_PROBE_FILE (synchronously, so it survives kill -9) together with whether the
 * number was opted out at that instant. The dispatcher claims and calls the sender in one synchronous
 * run, so the probe sees the same opt-out state the claim saw.
 */
import { appendFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startService } from '../../../src/composition/start-service.js';
import { loadConfig } from '../../../src/config/env.js';
import { loadProjects } from '../../../src/config/projects.js';
import { createTwilioSender, type SmsSender } from '../../../src/adapters/twilio/sms-sender.js';

const config = loadConfig(process.env);
const projects = loadProjects(config, process.env);
const probeFile = process.env.RELIABILITY_PROBE_FILE;
const twilioSender = createTwilioSender({ ...config.twilio, timeoutMs: 5_000 });
let probeDb: Database.Database | undefined;

const sender: SmsSender = {
  send(request) {
    if (probeFile !== undefined) {
      probeDb ??= new Database(config.databasePath, { readonly: true, fileMustExist: true });
      const optedOut = probeDb.prepare('SELECT COUNT(*) AS n FROM opt_outs WHERE phone = ?').get(request.to) as { n: number };
      appendFileSync(probeFile, `${JSON.stringify({ to: request.to, body: request.body, optedOut: optedOut.n > 0, at: Date.now() })}\n`);
    }
    return twilioSender.send(request);
  },
};

const running = await startService(config, projects, 'this-thread', { sender });
process.stderr.write(`listening ${running.url}\n`);
