import { describe, expect, it } from 'vitest';
import { conversationSettings, matchKeyword, normaliseKeyword } from '../../src/conversation/index.js';

const keywords = conversationSettings().keywords;

describe('keywords', () => {
  it.each([
    ['STOP', 'stop'], ['stop', 'stop'], [' Stop. ', 'stop'], ['S T O P', 'stop'], ['stopall', 'stop'],
    ['Unsubscribe!', 'stop'], ['cancel', 'stop'], ['END', 'stop'], ['quit', 'stop'], ['revoke', 'stop'],
    ['opt-out', 'stop'], ['OPTOUT', 'stop'], ['start', 'start'], ['UNSTOP', 'start'], ['help', 'help'],
    ['Info?', 'help'], ['skip', 'skip'], ['back', 'back'], ['Repeat', 'repeat'],
  ] as const)('when the whole message is %j, then it is the %s keyword', (text, keyword) => {
    expect(matchKeyword(text, keywords)).toBe(keyword);
  });

  it.each(['stop texting me', 'please help', 'yes', '1', '', 'back pain', 'ending'])(
    'when the message is %j, then it is an ordinary reply',
    (text) => {
      expect(matchKeyword(text, keywords)).toBeNull();
    },
  );

  it('when a project configures its own words, then those words are the keywords', () => {
    const custom = conversationSettings({ keywords: { stop: ['ARRET'], help: ['AIDE'] } }).keywords;
    expect([matchKeyword('arrêt', custom), matchKeyword('Arret', custom), matchKeyword('aide', custom), matchKeyword('stop', custom)])
      .toEqual([null, 'stop', 'help', null]);
  });

  it.each([['Stop.', 'STOP'], ['  s-t-o-p  ', 'STOP'], ['Ｓｔｏｐ', 'STOP']])(
    'when %j is normalised, then it reads %j',
    (text, normalised) => {
      expect(normaliseKeyword(text)).toBe(normalised);
    },
  );
});
