/**
 * Email fakes: a local SMTP server with AUTH (smtp-server; each accepted mail parsed with
 * mailparser and recorded) and the inbound side, Mailgun-style parse webhooks signed with
 * HMAC-SHA256(signing key, timestamp + token).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export class FakeSmtp {
  readonly received: ParsedMail[] = [];
  readonly user = 'frontdesk';
  readonly password = randomBytes(8).toString('hex');
  /** The next `n` messages are refused with this SMTP reply code. */
  private refusals: number[] = [];
  private server: SMTPServer | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _session, done) => {
        if (auth.username === this.user && auth.password === this.password)
          return done(null, { user: auth.username });
        done(new Error('Invalid username or password'));
      },
      onData: (stream, _session, done) => {
        const code = this.refusals.shift();
        simpleParser(stream)
          .then((mail) => {
            if (code) {
              const error = Object.assign(new Error('refused by test'), { responseCode: code });
              return done(error);
            }
            this.received.push(mail);
            done();
          })
          .catch(done);
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    this.url = `smtp://${this.user}:${this.password}@127.0.0.1:${port}`;
    return this;
  }

  refuseNext(code: number): void {
    this.refusals.push(code);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The inbound-parse side (Mailgun's webhook shape). */
export class FakeMailgun {
  readonly signingKey = `key-${randomBytes(16).toString('hex')}`;

  incoming(
    mail: { recipient: string; sender: string; subject: string; text: string; messageId?: string },
    options: { timestamp?: number; key?: string } = {},
  ) {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const token = randomBytes(25).toString('hex');
    const signature = createHmac('sha256', options.key ?? this.signingKey)
      .update(timestamp + token)
      .digest('hex');
    const form = {
      recipient: mail.recipient,
      sender: mail.sender,
      from: `Guest <${mail.sender}>`,
      subject: mail.subject,
      'body-plain': `${mail.text}\n\n> quoted`,
      'stripped-text': mail.text,
      'Message-Id': mail.messageId ?? `<${randomBytes(8).toString('hex')}@mail.example>`,
      timestamp,
      token,
      signature,
    };
    return {
      form,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      },
    };
  }
}
