import { describe, expect, it } from 'vitest';
import { createRedcapClient } from '../../src/adapters/redcap/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

function bufferIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    env: {},
    cwd: new URL('../../', import.meta.url).pathname,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** Waits until the command has printed its URL, and returns it. */
async function printedUrl(out: () => string): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    const url = /REDCAP_API_URL=(\S+)/.exec(out())?.[1];
    if (url) return url;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the emulator never printed its URL; output: ${out()}`);
}

describe('redcap-sms redcap-emulator', () => {
  it('when started with a dictionary and a token, then it serves that project until Ctrl+C', async () => {
    const { io, out } = bufferIo();
    const run = runCli(['redcap-emulator', '--dictionary', 'fixtures/dictionaries/redcapr-simple.csv', '--port', '0', '--token', 'DEMO', '--project-id', '42'], io);
    const url = await printedUrl(out);
    expect(out()).toContain('REDCAP_API_TOKEN=DEMO');
    const client = createRedcapClient({ url, token: 'DEMO' });
    await expect(client.exportProjectInfo()).resolves.toMatchObject({ project_id: 42 });
    process.emit('SIGINT');
    await expect(run).resolves.toBe(0);
    expect(out()).toContain('REDCap API emulator stopped.');
  });

  it('when no token is given, then it makes up a REDCap-like one and prints it', async () => {
    const { io, out } = bufferIo();
    const run = runCli(['redcap-emulator', '--dictionary', 'fixtures/dictionaries/redcapr-simple.csv', '--port', '0'], io);
    await printedUrl(out);
    expect(out()).toMatch(/REDCAP_API_TOKEN=[0-9A-F]{32}\n/);
    process.emit('SIGINT');
    await expect(run).resolves.toBe(0);
  });

  it('when started with a design file, then it serves a longitudinal project with those events', async () => {
    const { io, out } = bufferIo();
    const run = runCli(['redcap-emulator', '--dictionary', 'fixtures/dictionaries/redcapr-longitudinal.csv', '--design', 'fixtures/redcap/designs/redcapr-longitudinal.yaml', '--port', '0', '--token', 'DEMO'], io);
    const url = await printedUrl(out);
    const client = createRedcapClient({ url, token: 'DEMO' });
    await expect(client.exportProjectInfo()).resolves.toMatchObject({ is_longitudinal: 1 });
    expect((await client.exportEvents()).map((e) => e.unique_event_name)).toContain('first_visit_arm_2');
    process.emit('SIGINT');
    await expect(run).resolves.toBe(0);
  });

  it.each([
    [['--dictionary', 'fixtures/dictionaries/redcapr-simple.csv', '--design', 'fixtures/redcap/designs/redcapr-longitudinal.yaml'], 2, 'events.0.forms: contact_info is not an instrument'],
    [['--dictionary', 'fixtures/dictionaries/redcapr-simple.csv', '--design', 'fixtures/redcap/designs/none.yaml'], 2, 'no such file: fixtures/redcap/designs/none.yaml'],
    [['--dictionary', 'fixtures/dictionaries/missing.csv'], 2, 'no such file: fixtures/dictionaries/missing.csv'],
    [['--dictionary', 'fixtures/dictionaries/redcapr-simple.csv', '--port', 'http'], 2, '--port must be a whole number'],
    [['--dictionary', 'fixtures/dictionaries/redcapr-simple.csv', '--project-id', '0'], 2, '--project-id must be a whole number'],
    [['--dictionary', 'package.json'], 1, 'the dictionary for emulated project 1 has'],
  ])('when started with %j, then it exits %i saying %j', async (args, code, message) => {
    const { io, err } = bufferIo();
    await expect(runCli(['redcap-emulator', ...args], io)).resolves.toBe(code);
    expect(err()).toContain(message);
  });
});
