/** Everything stored in one IndexedDB database, as raw values (for "no plaintext" scans). */
export interface Dump {
  readonly stores: string[];
  readonly strings: string[];
  readonly binaries: Uint8Array[];
}

const settle = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB failed'));
  });

function walk(value: unknown, out: { strings: string[]; binaries: Uint8Array[] }): void {
  if (typeof value === 'string') out.strings.push(value);
  else if (value instanceof Uint8Array) out.binaries.push(value);
  else if (ArrayBuffer.isView(value)) {
    out.binaries.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (value instanceof ArrayBuffer) out.binaries.push(new Uint8Array(value));
  else if (Array.isArray(value)) for (const v of value) walk(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.strings.push(k);
      walk(v, out);
    }
  }
}

export async function dumpDatabase(factory: IDBFactory, name: string): Promise<Dump> {
  const db = await settle(factory.open(name));
  try {
    const stores = [...db.objectStoreNames];
    const out = { strings: [] as string[], binaries: [] as Uint8Array[] };
    for (const store of stores) {
      const tx = db.transaction(store, 'readonly');
      walk(await settle(tx.objectStore(store).getAll()), out);
      walk(await settle(tx.objectStore(store).getAllKeys()), out);
    }
    return { stores, ...out };
  } finally {
    db.close();
  }
}

export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
