// Kapu: the proof of work of a public form (web.FormWork). A hidden field
// <input name="_work" data-pow="challenge" data-pow-bits="18"> gets a decimal
// nonce such that SHA-256(challenge + nonce) starts with that many zero bits,
// found in short slices of work while the citizen types, so the page never
// stalls. A form sent before the nonce is found waits for it (and says so);
// once the server's waiting time is over it goes without one. Without this
// script the form still works: the server then only asks for the waiting.
//
// SHA-256 is written here from FIPS 180-4, because crypto.subtle exists only
// on HTTPS and localhost, and intranets serve plain HTTP.
(function () {
  "use strict";

  // The constants of FIPS 180-4 §4.2.2 and §5.3.3, computed as the standard
  // defines them: the first 32 bits of the fractional parts of the cube roots
  // (K) and square roots (H0) of the first 64 and 8 primes.
  var K = new Int32Array(64), H0 = new Int32Array(8);
  (function () {
    var primes = [], n, i;
    for (n = 2; primes.length < 64; n++) {
      for (i = 0; i < primes.length && n % primes[i] !== 0; i++) { /* trial division */ }
      if (i === primes.length) primes.push(n);
    }
    function frac32(x) { return ((x - Math.floor(x)) * 4294967296) | 0; }
    for (i = 0; i < 64; i++) K[i] = frac32(Math.cbrt(primes[i]));
    for (i = 0; i < 8; i++) H0[i] = frac32(Math.sqrt(primes[i]));
  })();

  // compress runs §6.2.2 on one block, whose 16 words are in W[0..15]
  // (W has room for 64), from state H into out.
  function compress(W, H, out) {
    var t, x, y;
    for (t = 16; t < 64; t++) {
      x = W[t - 15];
      y = W[t - 2];
      W[t] = (W[t - 16] + W[t - 7] +
        ((x >>> 7 | x << 25) ^ (x >>> 18 | x << 14) ^ (x >>> 3)) +
        ((y >>> 17 | y << 15) ^ (y >>> 19 | y << 13) ^ (y >>> 10))) | 0;
    }
    var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7], t1, t2;
    for (t = 0; t < 64; t++) {
      t1 = (h + ((e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7)) +
        ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
      t2 = (((a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10)) +
        ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    out[0] = (H[0] + a) | 0; out[1] = (H[1] + b) | 0; out[2] = (H[2] + c) | 0; out[3] = (H[3] + d) | 0;
    out[4] = (H[4] + e) | 0; out[5] = (H[5] + f) | 0; out[6] = (H[6] + g) | 0; out[7] = (H[7] + h) | 0;
  }

  // words puts the 64 bytes of buf from off into W[0..15], big-endian.
  function words(buf, off, W) {
    for (var i = 0; i < 16; i++, off += 4) {
      W[i] = buf[off] << 24 | buf[off + 1] << 16 | buf[off + 2] << 8 | buf[off + 3];
    }
  }

  // sha256 is the hash of bytes (a Uint8Array) as 64 hex digits: the padding
  // of §5.1.1, then one compress per block.
  function sha256(bytes) {
    var len = bytes.length, blocks = Math.ceil((len + 9) / 64);
    var buf = new Uint8Array(blocks * 64), W = new Int32Array(64), H = new Int32Array(H0), i;
    buf.set(bytes);
    buf[len] = 0x80;
    var bitsHi = Math.floor(len / 0x20000000), bitsLo = (len * 8) >>> 0;
    for (i = 0; i < 4; i++) {
      buf[buf.length - 1 - i] = bitsLo >>> (8 * i) & 0xff;
      buf[buf.length - 5 - i] = bitsHi >>> (8 * i) & 0xff;
    }
    for (i = 0; i < blocks; i++) {
      words(buf, i * 64, W);
      compress(W, H, H);
    }
    var hex = "";
    for (i = 0; i < 8; i++) hex += ("0000000" + (H[i] >>> 0).toString(16)).slice(-8);
    return hex;
  }

  // Solver looks for the nonce of challenge (ASCII, at most 40 characters)
  // and bits (1-32): challenge + nonce always fits one block, so each try is
  // one compress.
  function Solver(challenge, bits) {
    this.block = new Uint8Array(64);
    this.W = new Int32Array(64);
    this.out = new Int32Array(8);
    this.len = Math.min(challenge.length, 40);
    this.bits = bits;
    this.n = 0;
    for (var i = 0; i < this.len; i++) this.block[i] = challenge.charCodeAt(i) & 0xff;
  }

  // run tries up to tries nonces; the nonce found, or "" to be called again.
  Solver.prototype.run = function (tries) {
    var block = this.block, W = this.W, out = this.out, shift = 32 - this.bits;
    for (var k = 0; k < tries; k++, this.n++) {
      var digits = String(this.n), end = this.len + digits.length, i;
      for (i = 0; i < digits.length; i++) block[this.len + i] = digits.charCodeAt(i);
      block[end] = 0x80;
      for (i = end + 1; i < 62; i++) block[i] = 0;
      block[62] = (end * 8) >>> 8;
      block[63] = (end * 8) & 0xff;
      words(block, 0, W);
      compress(W, H0, out);
      if (out[0] >>> shift === 0) return digits;
    }
    return "";
  };

  var api = {
    sha256: function (s) { return sha256(new TextEncoder().encode(s)); },
    solve: function (challenge, bits) { return new Solver(challenge, bits).run(Infinity); }
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  // start works on one field in slices of about 20 ms, then lets the page
  // breathe; it calls done with the nonce.
  function start(field, done) {
    var bits = parseInt(field.getAttribute("data-pow-bits"), 10);
    if (!(bits >= 1 && bits <= 32)) return;
    var solver = new Solver(field.getAttribute("data-pow"), bits);
    (function slice() {
      var until = Date.now() + 20, nonce;
      while (!(nonce = solver.run(2000)) && Date.now() < until) { /* keep going */ }
      if (nonce) done(nonce); else setTimeout(slice, 0);
    })();
  }

  function setUp(field) {
    var form = field.form, shown = Date.now(), found = false, held = false, sent = false, submitter = null;
    var wait = parseInt(field.getAttribute("data-pow-after"), 10) || 0;
    if (!form) return;
    // send posts the held form once, with the button that was pressed (a
    // time offered instead of a taken one is such a button).
    function send() {
      if (sent) return;
      sent = true;
      if (form.requestSubmit) {
        if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
        return;
      }
      if (submitter && submitter.name) {
        var extra = document.createElement("input");
        extra.type = "hidden";
        extra.name = submitter.name;
        extra.value = submitter.value;
        form.appendChild(extra);
      }
      form.submit();
    }
    start(field, function (nonce) {
      field.value = nonce;
      found = true;
      if (held) send();
    });
    form.addEventListener("submit", function (e) {
      if (found || sent || Date.now() - shown >= wait * 1000) return;
      e.preventDefault();
      if (held) return;
      held = true;
      submitter = e.submitter || null;
      // Said once, politely, below the buttons.
      var note = document.createElement("p");
      note.className = "small";
      note.setAttribute("role", "status");
      form.appendChild(note);
      setTimeout(function () { note.textContent = field.getAttribute("data-pow-wait") || ""; }, 50);
      // A slow device does not wait for ever: once the waiting time is over
      // the server takes the form without the nonce.
      setTimeout(send, Math.max(0, wait * 1000 - (Date.now() - shown)) + 500);
    });
  }

  function init() {
    var fields = document.querySelectorAll("input[data-pow]");
    for (var i = 0; i < fields.length; i++) setUp(fields[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
