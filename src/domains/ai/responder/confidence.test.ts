import { describe, expect, it } from 'vitest';
import { answerConfidence } from './confidence.js';
import { offlineChat, sentencesOf } from './offline-chat.js';

const evidence = {
  coverage: 1,
  titleCoverage: 0.5,
  margin: 0.4,
  agreement: 1,
  unknownShare: 0,
  knownCoverage: 1,
  unknownWords: 0,
  unknownSalience: 0,
  salientShare: 0,
  sourceCoverage: 1,
  missingPeak: 0,
  strength: 0.5,
  similarity: 0.5,
};

describe('answer confidence', () => {
  it('rises with the share of the question the best passage covers, falls with salient unknown words', () => {
    const full = answerConfidence(evidence, 0.8);
    const half = answerConfidence({ ...evidence, coverage: 0.5, sourceCoverage: 0.5 }, 0.8);
    const unknown = answerConfidence(
      { ...evidence, coverage: 0.5, sourceCoverage: 0.5, salientShare: 0.5 },
      0.8,
    );
    expect(full).toBeGreaterThan(half);
    expect(half).toBeGreaterThan(unknown);
    for (const c of [full, half, unknown]) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  it('is the provider’s own judgement when the retriever gives no search evidence', () => {
    expect(answerConfidence(undefined, 0.42)).toBe(0.42);
  });
});

describe('extractive answers', () => {
  it('split into whole sentences: never at the dot of a web address or a version number', () => {
    expect(
      sentencesOf(
        '## Tracking\n\nTrack it at parcelpoint.example/track. It updates hourly! Version 2.1 is out.\n- A list item',
      ),
    ).toEqual([
      'Tracking',
      'Track it at parcelpoint.example/track.',
      'It updates hourly!',
      'Version 2.1 is out.',
      'A list item',
    ]);
  });

  it('leave markup out: template directives, admonition markers, images, emphasis, links and tags', () => {
    expect(
      sentencesOf(
        [
          '{start_tabs}',
          '{tab|desktop-web}',
          '{!admin-only.md!}',
          '{% include note.html %}',
          '!!! tip ""',
          '    Press <kbd>Esc</kbd> to close the **Settings** menu.',
          '![The gear icon](/static/gear.png)',
          'Read [the keyboard guide](/help/keyboard-shortcuts) and use `Ctrl+K`, _quickly_.',
          '{end_tabs}',
        ].join('\n'),
      ),
    ).toEqual(['Press Esc to close the Settings menu.', 'Read the keyboard guide and use Ctrl+K, quickly.']);
  });

  const ask = (question: string, content: string) =>
    offlineChat.complete({
      model: undefined,
      systemPrompt: '',
      history: [],
      question,
      passages: [{ sourceId: 's1', title: 'Calendars', kind: 'article', score: 1, content }],
    });

  it('answer a question about a procedure with all of its numbered steps', async () => {
    const out = await ask(
      'how do I create a new calendar?',
      [
        'Calendars keep your events.',
        '',
        '1. Open the **Calendar** app.',
        '2. Click **+ New calendar**.',
        '   A field appears below it.',
        '3. Type a name and press <kbd>Enter</kbd>.',
        '',
        'Shared calendars are described elsewhere.',
      ].join('\n'),
    );
    expect(out.text).toBe(
      '1. Open the Calendar app.\n2. Click + New calendar. A field appears below it.\n3. Type a name and press Enter.',
    );
  });

  it('keep to sentences for a bulleted list, and for a list too long to quote', async () => {
    const bullets = await ask(
      'can I sync my calendar with my phone?',
      '- Calendars sync with your phone over CalDAV.\n- Events can be exported.\n- Colours are per calendar.',
    );
    expect(bullets.text).toBe('Calendars sync with your phone over CalDAV.');
    const words = ['Open', 'Choose', 'Name', 'Colour', 'Share', 'Import', 'Export', 'Publish', 'Save'];
    const steps = words.map((w, i) => `${i + 1}. ${w} the calendar.`);
    const long = await ask('how do I colour a calendar?', steps.join('\n'));
    expect(long.text).toBe('Colour the calendar.');
  });

  it('answer with the passage’s sentences that address the question, and cite it', async () => {
    const out = await offlineChat.complete({
      model: undefined,
      systemPrompt: '',
      history: [],
      question: 'where do I track my parcel?',
      passages: [
        {
          sourceId: 's1',
          title: 'Tracking',
          kind: 'article',
          score: 1,
          content: 'Parcels ship daily. Track your parcel at parcelpoint.example/track. Returns take a week.',
        },
      ],
    });
    expect(out.text).toBe('Track your parcel at parcelpoint.example/track.');
    expect(out.cited).toEqual([0]);
  });
});
