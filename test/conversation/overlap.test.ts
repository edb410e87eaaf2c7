import { describe, expect, it } from 'vitest';
import { afterClose, choiceText, conversationSettings, decideInvite, routeInbound, type OpenConversation } from '../../src/conversation/index.js';
import { englishCatalog } from '../../src/messages/catalog.js';

const daily: OpenConversation = { id: 'a', instrument: 'daily', recordId: '1', active: true };
const weekly: OpenConversation = { id: 'b', instrument: 'weekly', recordId: '1', active: false };
const keywords = conversationSettings().keywords;

describe('overlapping invitations', () => {
  it.each([
    ['CHOICE', [], { hold: false, supersede: [], setAside: [], offerChoice: false }],
    ['CHOICE', [daily], { hold: true, supersede: [], setAside: ['a'], offerChoice: true }],
    ['FIRST', [daily], { hold: true, supersede: [], setAside: [], offerChoice: false }],
    ['OVERWRITE', [daily], { hold: false, supersede: ['a'], setAside: [], offerChoice: false }],
  ] as const)('when policy %s meets %j, then the weekly invitation is %j', (policy, open, decision) => {
    expect(decideInvite(policy, open, { instrument: 'weekly', recordId: '1' })).toEqual(decision);
  });

  it.each(['CHOICE', 'FIRST', 'OVERWRITE'] as const)('when %s re-invites the same record and instrument, then the old one is replaced', (policy) => {
    expect(decideInvite(policy, [daily], { instrument: 'daily', recordId: '1' })).toMatchObject({ hold: false, supersede: ['a'] });
  });

  it.each([
    [[daily, weekly], 'hi', { kind: 'deliver', id: 'a', activate: false }],
    [[{ ...daily, active: false }], 'hi', { kind: 'deliver', id: 'a', activate: true }],
    [[{ ...daily, active: false }, weekly], '2', { kind: 'choose', id: 'b' }],
    [[{ ...daily, active: false }, weekly], '1.', { kind: 'choose', id: 'a' }],
    [[{ ...daily, active: false }, weekly], '3', { kind: 'offerChoice' }],
    [[{ ...daily, active: false }, weekly], 'hi', { kind: 'offerChoice' }],
    [[{ ...daily, active: false }, weekly], 'STOP', { kind: 'phone', keyword: 'stop' }],
    [[], 'hello', { kind: 'phone', keyword: null }],
  ] as const)('when %j are open and %j arrives, then it goes %j', (open, text, route) => {
    expect(routeInbound(open, text, keywords)).toEqual(route);
  });

  it.each([
    ['FIRST', [weekly], { kind: 'activate', id: 'b' }],
    ['CHOICE', [weekly], { kind: 'activate', id: 'b' }],
    ['CHOICE', [weekly, { ...weekly, id: 'c' }], { kind: 'offerChoice' }],
    ['FIRST', [weekly, { ...weekly, id: 'c' }], { kind: 'activate', id: 'b' }],
    ['CHOICE', [], { kind: 'none' }],
  ] as const)('when a survey ends under %s with %j still open, then next is %j', (policy, open, next) => {
    expect(afterClose(policy, open)).toEqual(next);
  });

  it('when the choice list is written, then it numbers the surveys by their titles', () => {
    const settings = conversationSettings({ titles: { daily: 'Daily check-in' } });
    expect(choiceText([daily, weekly], settings, englishCatalog)).toBe(
      'You have 2 surveys waiting. Reply with a number to choose: 1 = Daily check-in, 2 = weekly',
    );
  });
});
