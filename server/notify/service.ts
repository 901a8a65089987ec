import type { AppDeps } from '../app.js';
import { createMailSender } from './mail.js';
import { createPushSender, loadOrCreateVapidKeys, vapidSubject } from './push.js';
import { createNotifyWorker, type NotifyWorker } from './worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The notification delivery worker (tests drain it; it polls on its own when started). */
    notifyWorker: NotifyWorker;
  }
}

export interface Notifications {
  readonly worker: NotifyWorker;
  readonly vapidPublicKey: string;
  readonly emailServer: boolean;
  /** Whether this process delivers (NOTIFY_WORKER). */
  readonly delivers: boolean;
  /** Stops the worker (waiting for sends in flight) and closes the SMTP connection. */
  readonly close: () => Promise<void>;
}

/**
 * Everything notifications need, from the configuration: the SMTP sender (none without
 * SMTP_URL, said once in the log), the VAPID keys (made on first start in DATA_DIR/vapid.json)
 * and the delivery worker.
 */
export function createNotifications(deps: AppDeps): Notifications {
  const { config } = deps;
  const baseUrl =
    config.publicUrl ??
    `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const mail =
    config.smtpUrl === undefined
      ? undefined
      : createMailSender({ smtpUrl: config.smtpUrl, from: config.notifyFrom, baseUrl });
  if (mail === undefined) {
    deps.logger.info('SMTP_URL is not set: notification emails are off (web push still works)');
  }
  const keys = loadOrCreateVapidKeys(config.dataDir);
  const push = createPushSender(keys, vapidSubject(config.publicUrl, config.notifyFrom));
  const worker = createNotifyWorker({
    db: deps.db,
    engine: deps.engine,
    now: deps.now,
    logger: deps.logger,
    mail,
    push,
  });
  return {
    worker,
    vapidPublicKey: keys.publicKey,
    emailServer: mail !== undefined,
    delivers: config.notifyWorker,
    close: async () => {
      await worker.stop();
      mail?.close();
    },
  };
}
