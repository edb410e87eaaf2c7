import { test } from 'vitest';
import { cohort } from './harness/study.js';
import { startWorld } from './harness/world.js';
test('scratch', async () => {
  const people = cohort(4);
  const w = await startWorld(people);
  await w.invite(people);
  await w.drain();
  const p = people[2]!;
  const show = () => console.log(w.twilio.sends.filter((s) => s.to === p.phone).map((s) => `${s.status} ${s.body}`).join('\n---\n'));
  for (const body of [p.replies[0]!, 'STOP', 'START', 'ninety-nine hours', p.replies[1]!, p.replies[2]!, p.replies[3]!]) {
    const r = await w.text(p.phone, body);
    console.log('>>', body, r.status);
    await w.drain();
  }
  show();
  console.log(w.valuesOf(p.recordId));
  console.log(w.service.db.prepare('select kind,status,phone,payload from outbox').all());
  await w.close();
});
