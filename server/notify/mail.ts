import nodemailer from 'nodemailer';
import type { NotificationText } from './outbox.js';

/** Sends notification emails; absent when this Tend has no SMTP server (SMTP_URL unset). */
export interface MailSender {
  send(to: string, text: NotificationText): Promise<void>;
  close(): void;
}

/** The absolute link a notification points to: PUBLIC_URL (or the listen address) + path. */
export function absoluteLink(baseUrl: string, path: string): string {
  return new URL(path.startsWith('/') ? path : `/${path}`, `${baseUrl}/`).toString();
}

/**
 * The whole email: the payload's fixed words and absolute links, nothing else. No name, no
 * level, nothing anyone wrote (docs/CIRCLES.md, "Notifications").
 */
export function composeEmail(
  text: NotificationText,
  baseUrl: string,
): { subject: string; text: string } {
  return {
    subject: text.title,
    text:
      `${text.body}\n\n${absoluteLink(baseUrl, text.path)}\n\n` +
      `You can turn these emails off, set quiet hours or pause them in Tend: ` +
      `${absoluteLink(baseUrl, '/account/notifications')}\n`,
  };
}

export function createMailSender(opts: {
  readonly smtpUrl: string;
  readonly from: string;
  readonly baseUrl: string;
}): MailSender {
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    // A slow or unreachable server must not hold a delivery lease for long.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(to, text) {
      const mail = composeEmail(text, opts.baseUrl);
      await transport.sendMail({ from: opts.from, to, subject: mail.subject, text: mail.text });
    },
    close() {
      transport.close();
    },
  };
}
