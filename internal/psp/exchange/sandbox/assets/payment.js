/* payment.js of SecureLink's AllSecure Exchange sandbox: the gateway's browser API (new PaymentJs("1.2"),
   init, tokenize, setNumberStyle, setCvvStyle, setNumberPlaceholder, setCvvPlaceholder, numberOn, cvvOn,
   reset) with the sandbox's own card frames. The card number and security code stay in the frames. */
(function () {
  "use strict";
  var ORIGIN = "{{ORIGIN}}";
  var seq = 0;

  function PaymentJs(version) {
    var self = this;
    this.version = version || "1.2";
    this._id = "pjs" + (++seq) + Math.random().toString(36).slice(2, 8);
    this._ready = { number: false, cvv: false };
    this._queue = { number: [], cvv: [] };
    this._handlers = { number: {}, cvv: {} };
    this._pending = null;
    window.addEventListener("message", function (e) { self._onMessage(e); });
  }

  PaymentJs.prototype.init = function (publicIntegrationKey, numberDivId, cvvDivId, onReady) {
    this._key = publicIntegrationKey;
    this._onReady = onReady;
    this._frames = { number: this._frame("number", numberDivId), cvv: this._frame("cvv", cvvDivId) };
  };

  PaymentJs.prototype._frame = function (field, divId) {
    var div = document.getElementById(divId);
    if (!div) { throw new Error("PaymentJs: no element with id " + divId); }
    var f = document.createElement("iframe");
    f.name = this._id + "-" + field;
    f.title = field === "number" ? "Card number" : "Security code";
    f.src = ORIGIN + "/sandbox/frames/" + field + "?id=" + encodeURIComponent(this._id) +
      "&key=" + encodeURIComponent(this._key || "");
    f.setAttribute("frameborder", "0");
    f.style.cssText = "border:0;width:100%;height:100%;display:block";
    while (div.firstChild) { div.removeChild(div.firstChild); }
    div.appendChild(f);
    return f;
  };

  PaymentJs.prototype._post = function (field, msg) {
    msg.id = this._id;
    if (!this._ready[field]) { this._queue[field].push(msg); return; }
    this._frames[field].contentWindow.postMessage(msg, ORIGIN);
  };

  PaymentJs.prototype._onMessage = function (e) {
    var d = e.data;
    if (e.origin !== ORIGIN || !d || d.id !== this._id) { return; }
    if (d.type === "ready") {
      this._ready[d.field] = true;
      var q = this._queue[d.field];
      this._queue[d.field] = [];
      for (var i = 0; i < q.length; i++) { this._frames[d.field].contentWindow.postMessage(q[i], ORIGIN); }
      if (this._ready.number && this._ready.cvv && this._onReady) {
        var ready = this._onReady;
        this._onReady = null;
        ready(this);
      }
    } else if (d.type === "event") {
      var h = this._handlers[d.field][d.event];
      if (h) { h(d.data || {}); }
    } else if (d.type === "result" && this._pending) {
      var p = this._pending;
      this._pending = null;
      if (d.token) { p.ok(d.token, d.cardData || {}); } else { p.err(d.errors || [{ message: "Tokenization failed" }]); }
    }
  };

  PaymentJs.prototype.tokenize = function (data, onSuccess, onError) {
    if (this._pending) { onError([{ message: "A tokenization is already running" }]); return; }
    this._pending = { ok: onSuccess, err: onError };
    this._post("number", { type: "tokenize", data: data || {} });
  };
  PaymentJs.prototype.setNumberStyle = function (css) { this._post("number", { type: "style", css: css }); };
  PaymentJs.prototype.setCvvStyle = function (css) { this._post("cvv", { type: "style", css: css }); };
  PaymentJs.prototype.setNumberPlaceholder = function (t) { this._post("number", { type: "placeholder", text: t }); };
  PaymentJs.prototype.setCvvPlaceholder = function (t) { this._post("cvv", { type: "placeholder", text: t }); };
  PaymentJs.prototype.numberOn = function (event, cb) { this._handlers.number[event] = cb; };
  PaymentJs.prototype.cvvOn = function (event, cb) { this._handlers.cvv[event] = cb; };
  PaymentJs.prototype.reset = function () {
    this._post("number", { type: "reset" });
    this._post("cvv", { type: "reset" });
  };

  window.PaymentJs = PaymentJs;
})();
