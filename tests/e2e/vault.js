// The app's IndexedDB as the tests see it. Every value a user's work leaves on the phone is sealed
// (`{"zf_owner": <user id>, "sealed": base64(iv ‖ AES-GCM ciphertext)}`) with the user's data key, which the phone
// keeps only wrapped by a key derived from the app PIN (`meta` → `phone/keyring/<user id>`). Knowing the PIN, a test
// opens the key the way the app does (WebCrypto in the page) and reads or writes values as the app would.
/** The app PIN the tests set after logging in. */
export const DEMO_PIN = "246810";

/**
 * Runs `body(vault, arg)` in the page. `vault` has `get(store, key)` and `entries(store)` (the JSON text inside each
 * value), `put(store, key, text)` (sealed like the app writes it), `raw(store)` (every key and stored value as is),
 * `blob(key)` (a photo's bytes, opened) and `owner`.
 */
export async function withVault(page, body, arg, pin = DEMO_PIN) {
  // A string expression: evaluated by the devtools protocol, so the page's Content-Security-Policy (no eval) allows it.
  return page.evaluate(`(async () => {
    const vault = await (${openVault.toString()})(${JSON.stringify(pin)});
    try {
      return await (${body.toString()})(vault, ${JSON.stringify(arg ?? null)});
    } finally {
      vault.close();
    }
  })()`);
}

/** Runs in the page: opens the database and the data key. Self-contained (it is sent as source text). */
async function openVault(pin) {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("zoufang");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const raw = async (name) => {
    const tx = db.transaction(name);
    const keys = await done(tx.objectStore(name).getAllKeys());
    const values = await done(tx.objectStore(name).getAll());
    return keys.map((key, index) => [key, values[index]]);
  };
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const toBase64 = (bytes) => {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  const ring = (await raw("meta")).find(([key]) => String(key).startsWith("phone/keyring/"));
  if (!ring) throw new Error("no keyring on this phone: no PIN was set");
  const keyring = JSON.parse(ring[1]);
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveKey"]);
  const wrapping = await crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: fromBase64(keyring.salt), iterations: keyring.iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["unwrapKey"],
  );
  const wrapped = fromBase64(keyring.wrapped);
  const dataKey = await crypto.subtle.unwrapKey(
    "raw",
    wrapped.subarray(12),
    wrapping,
    { name: "AES-GCM", iv: wrapped.subarray(0, 12) },
    { name: "AES-GCM" },
    false,
    ["encrypt", "decrypt"],
  );
  const openBytes = async (bytes) =>
    new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.subarray(0, 12) }, dataKey, bytes.subarray(12)));
  const openText = async (stored) => {
    const envelope = JSON.parse(stored);
    if (envelope.sealed === undefined) return envelope.plain ?? stored;
    return new TextDecoder().decode(await openBytes(fromBase64(envelope.sealed)));
  };
  const vault = {
    owner: keyring.user,
    raw,
    async get(name, key) {
      const stored = await done(db.transaction(name).objectStore(name).get(key));
      return stored === undefined ? undefined : openText(stored);
    },
    async entries(name) {
      const out = [];
      for (const [key, stored] of await raw(name)) {
        if (String(stored).includes('"zf_owner"')) out.push([key, await openText(stored)]);
      }
      return out;
    },
    async put(name, key, text) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt({ name: "AES-GCM", iv }, dataKey, new TextEncoder().encode(text)),
      );
      const all = new Uint8Array(12 + sealed.length);
      all.set(iv);
      all.set(sealed, 12);
      const tx = db.transaction(name, "readwrite");
      tx.objectStore(name).put(JSON.stringify({ zf_owner: keyring.user, sealed: toBase64(all) }), key);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    },
    /** Writes a value as it is (a phone-wide value such as the language, or something only a broken app writes). */
    async putRaw(name, key, value) {
      const tx = db.transaction(name, "readwrite");
      tx.objectStore(name).put(value, key);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    },
    async blob(key) {
      const stored = await done(db.transaction("photo_blobs").objectStore("photo_blobs").get(key));
      if (stored === undefined) return undefined;
      const bytes = new Uint8Array(stored instanceof Blob ? await stored.arrayBuffer() : stored);
      const magic = new TextDecoder().decode(bytes.subarray(0, 4));
      return magic === "ZFS1" ? openBytes(bytes.subarray(4)) : bytes;
    },
  };
  vault.close = () => db.close();
  return vault;
}
