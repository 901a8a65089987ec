declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  /** The parameters http_ece reads (RFC 8188; aes128gcm carries salt and sender key in the body). */
  export interface EceParams {
    version?: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    key?: string | Buffer;
    keyid?: string | Buffer;
    salt?: string | Buffer;
    privateKey?: ECDH;
    dh?: string | Buffer;
    authSecret?: string | Buffer;
    rs?: number;
  }
  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;
}
