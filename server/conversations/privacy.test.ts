import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  conversationDetailSchema,
  messagesResponseSchema,
} from '../../core/src/conversations/api.js';
import { openConversationKey, openMessage } from '../../core/src/conversations/message.js';
import { verifyPublicKeyBundle } from '../../core/src/crypto/identity.js';
import { fromBase64url, toBase64url } from '../../core/src/encoding/base64url.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  startPushSink,
  startSmtpSink,
  type PushSink,
  type SmtpSink,
} from '../test-support/notify.js';
import { member, messageBody, startConversation } from './test-fixtures.js';

const origin = 'https://tend.test';

/** Distinctive private words of every kind a conversation carries. */
const secrets = {
  message: 'I have been hearing the voices again since Tuesday ~q71d0',
  reply: 'I can come round after work, my address is 14 Larch Close ~r5b2e',
  warning: 'mentions not wanting to be here ~w9c3a',
  edited: 'Actually it started on Monday, not Tuesday ~e4f81',
};

describeEachEngine(
  'privacy: nothing of a direct conversation reaches the server in plaintext',
  (engine) => {
    let t: TestApp;
    let smtp: SmtpSink;
    let pushSink: PushSink;

    beforeEach(async () => {
      smtp = await startSmtpSink();
      pushSink = await startPushSink();
      t = await createTestApp(engine, {
        env: { PUBLIC_URL: origin, LOG_LEVEL: 'trace', SMTP_URL: smtp.url },
      });
    });
    afterEach(async () => {
      await t.close();
      await smtp.close();
      await pushSink.close();
    });

    it('after messages with a content warning, a reply and an edit, no table, log, email or push holds them', async () => {
      const ada = await member(t, 'ada');
      const sam = await member(t, 'sam');
      const sub = pushSink.subscribe();
      expect((await sam.client.post('/api/v1/notify/push-subscriptions', sub)).statusCode).toBe(
        204,
      );

      const { id, key } = await startConversation(ada, sam);
      const first = messageBody(id, ada, key, secrets.message, {
        content: { v: 1, type: 'message', text: secrets.message, contentWarning: secrets.warning },
      });
      expect(
        (await ada.client.post(`/api/v1/conversations/${id}/messages`, first)).statusCode,
      ).toBe(201);
      const edit = messageBody(id, ada, key, '', {
        content: { v: 1, type: 'edit', replaces: first.id, text: secrets.edited },
      });
      expect((await ada.client.post(`/api/v1/conversations/${id}/messages`, edit)).statusCode).toBe(
        201,
      );
      await smtp.waitFor(1, 10_000);
      await pushSink.waitFor(1, 10_000);

      // Sam reads it the real way: Ada's keys from the conversation, his share key, the record.
      const detail = conversationDetailSchema.parse(
        (await sam.client.get(`/api/v1/conversations/${id}`)).json(),
      );
      if (detail.otherPublicKeyBundle === null) throw new Error('no bundle for Ada');
      const adaKeys = verifyPublicKeyBundle(detail.otherPublicKeyBundle, ada.accountId);
      if (!adaKeys.ok) throw new Error(adaKeys.error);
      const samKey = await openConversationKey({
        conversationId: id,
        senderId: detail.keyBy,
        recipientId: sam.accountId,
        shareKey: detail.shareKey,
        expectedKeyId: detail.keyId,
        senderEd25519PublicKey: adaKeys.value.ed25519PublicKey,
        recipientX25519SecretKey: sam.person.identity.x25519SecretKey,
      });
      if (!samKey.ok) throw new Error(samKey.error);
      const records = messagesResponseSchema.parse(
        (await sam.client.get(`/api/v1/conversations/${id}/messages`)).json(),
      ).messages;
      const opened = openMessage({
        conversationId: id,
        messageId: records[0]?.id ?? '',
        senderId: records[0]?.senderId ?? '',
        record: fromBase64url(records[0]?.record ?? '') ?? new Uint8Array(),
        expectedKeyId: 1,
        conversationKeys: () => samKey.value.key,
        senderEd25519PublicKey: adaKeys.value.ed25519PublicKey,
      });
      expect(opened.ok && opened.value.content).toMatchObject({ contentWarning: secrets.warning });

      const reply = messageBody(id, sam, key, secrets.reply);
      expect(
        (await sam.client.post(`/api/v1/conversations/${id}/messages`, reply)).statusCode,
      ).toBe(201);
      await smtp.waitFor(2, 10_000); // Ada is told of Sam's reply

      const tables = await t.handle.db.introspection.getTables({ withInternalKyselyTables: true });
      let dump = '';
      for (const table of tables) {
        const rows = await sql<
          Record<string, unknown>
        >`select * from ${sql.table(table.name)}`.execute(t.handle.db);
        dump += `${table.name}: ${JSON.stringify(rows.rows)}\n`;
      }
      const logs = t.logs();
      const mail = smtp.messages.map((m) => `${m.subject}\n${m.text}\n${m.raw}`).join('\n');
      const pushes = pushSink.received.map((p) => p.text).join('\n');
      // The dump and the deliveries are real.
      expect(dump).toContain(first.record);
      expect(dump).toContain(id);
      expect(logs).toContain('/api/v1/conversations/:id/messages');
      expect(mail).toContain('You have a new message — open Tend');
      expect(pushes).toContain('You have a new message — open Tend');

      const places = { dump, logs, mail, pushes };
      for (const [name, text] of Object.entries(secrets)) {
        for (const piece of [text, ...(text.match(/.{12}/g) ?? [])]) {
          for (const [where, haystack] of Object.entries(places)) {
            expect(haystack.includes(piece), `${name} ("${piece}") in ${where}`).toBe(false);
          }
        }
      }
      const keys = {
        conversationKey: toBase64url(key),
        adaIdentity: toBase64url(ada.person.identity.x25519SecretKey),
        samIdentity: toBase64url(sam.person.identity.x25519SecretKey),
        adaSigning: toBase64url(ada.person.identity.ed25519Seed),
      };
      for (const [name, value] of Object.entries(keys)) {
        for (const [where, haystack] of Object.entries(places)) {
          expect(haystack.includes(value), `${name} in ${where}`).toBe(false);
        }
      }
      // Who wrote is not in what is delivered either (the raw mail has its own To: address).
      const words = smtp.messages.map((m) => `${m.subject}\n${m.text}`).join('\n');
      expect(`${words}\n${pushes}`).not.toMatch(/\bada\b|\bsam\b/i);
    });
  },
);
