import { describe, expect, it } from 'vitest';
import { decide, loadEvalSet } from '../../../../eval/responder/decide.js';
import { classifyMessage } from './classify.js';
import { escalationFor, policyOf } from './policy.js';

const categoryOf = (text: string) => classifyMessage(text).categories[0];

describe('escalation categories', () => {
  it.each([
    ['There is water leaking from the ceiling', 'emergency', 'high'],
    ['The basement is flooded', 'emergency', 'critical'],
    ['I can see flames, the kitchen is on fire', 'emergency', 'critical'],
    ['I smell gas near the stove', 'emergency', 'critical'],
    ['There is no heat in the apartment', 'emergency', 'high'],
    ['We have been locked out', 'emergency', 'high'],
    ['I want a refund for the last night', 'refund', 'medium'],
    ['You charged me twice', 'refund', 'medium'],
    ['Can we change our booking to August?', 'booking_change', 'low'],
    ['I need to cancel my reservation', 'booking_change', 'medium'],
    ['The room was filthy and the shower broken', 'complaint', 'medium'],
  ])('%s → %s (%s)', (text, category, severity) => {
    expect(categoryOf(text)).toMatchObject({ category, severity });
  });

  it('finds nothing in ordinary questions', () => {
    for (const text of ['What time is check-in?', 'Where can I park?', 'Thanks, see you Friday!']) {
      expect(classifyMessage(text).categories).toEqual([]);
    }
  });
});

describe('tension', () => {
  it('rates an angry agency client high and a neutral message none', () => {
    const angry = classifyMessage(
      'This is ridiculous, you missed the deadline AGAIN and nobody has responded to my emails',
    );
    expect(angry.tension.severity).toBe('high');
    expect(angry.sentiment.label).toBe('negative');
    const neutral = classifyMessage('Hi team, could you send the monthly report when it is ready? Thanks!');
    expect(neutral.tension.severity).toBe('none');
    expect(neutral.sentiment.label).not.toBe('negative');
  });

  it('rises with the wording: mild, medium, critical', () => {
    expect(classifyMessage('A bit disappointed with the draft').tension.severity).toBe('low');
    expect(classifyMessage('Frustrated, still waiting on the fix').tension.severity).toBe('medium');
    expect(
      classifyMessage(
        'This is UNACCEPTABLE. We are furious, you missed the deadline again and our lawyer will be in touch!!!',
      ).tension.severity,
    ).toBe('critical');
  });

  it('opens a tension escalation only at or above the agent’s tension severity', () => {
    const policy = policyOf(
      {
        autoReplyEnabled: true,
        confidenceThreshold: 0.7,
        quietHoursStart: null,
        quietHoursEnd: null,
        responseDelaySeconds: 0,
        escalationCategories: ['tension'],
        escalationConfig: { tensionSeverity: 'high' },
      },
      'UTC',
    );
    expect(escalationFor(policy, classifyMessage('Frustrated, still waiting on the fix'))).toBeNull();
    expect(
      escalationFor(policy, classifyMessage('This is ridiculous, you missed the deadline AGAIN!!')),
    ).toMatchObject({ type: 'tension', severity: 'high' });
  });
});

describe('churn language', () => {
  it.each([
    'We will not be renewing our contract',
    'We are considering switching vendors',
    'Please cancel our subscription at the end of the term',
    'Leadership wants to move to a different platform',
  ])('detects: %s', (text) => {
    expect(classifyMessage(text).churn.detected).toBe(true);
  });

  it('does not read a booking cancellation as churn', () => {
    expect(classifyMessage('I need to cancel my booking').churn.detected).toBe(false);
  });
});

describe('the labelled eval set', () => {
  it('has at least 100 messages over the five demo flavours and the offline default decides ≥ 90% right', async () => {
    const { tenants, messages } = loadEvalSet();
    expect(messages.length).toBeGreaterThanOrEqual(100);
    expect(Object.keys(tenants)).toHaveLength(5);
    let right = 0;
    for (const m of messages) if ((await decide(tenants[m.tenant]!, m.text)) === m.label) right++;
    expect(right / messages.length).toBeGreaterThanOrEqual(0.9);
  });
});
