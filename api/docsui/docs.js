// SecureLink's API reference: renders the public part of openapi.yaml (served as /api/docs/openapi.json)
// grouped by tag, with Markdown descriptions, nested schemas, examples, a curl snippet per operation
// and "Try it" with the reader's own test key. No third-party code and no network but this server;
// the key stays in this tab's sessionStorage.
const $ = (sel, el = document) => el.querySelector(sel);
const h = (tag, attrs = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') el.textContent = v; else el.setAttribute(k, v);
  }
  for (const kid of kids.flat()) if (kid != null) el.append(kid);
  return el;
};

let spec;
const refName = (s) => (s && s.$ref ? s.$ref.split('/').pop() : '');
const resolve = (s) => {
  let seen = 0;
  while (s && s.$ref && seen++ < 20) s = s.$ref.split('/').slice(1).reduce((o, k) => o?.[k], spec);
  return s || {};
};

// inline renders the Markdown of one line: `code`, **bold**, *emphasis* and [links](url).
function inline(text) {
  const out = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m; (m = re.exec(text));) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(h('code', { text: m[1] }));
    else if (m[2] !== undefined) out.push(h('strong', { text: m[2] }));
    else if (m[3] !== undefined) out.push(h('em', { text: m[3] }));
    else if (/^(https?:\/\/|\/|#)/.test(m[5])) out.push(h('a', { href: m[5], rel: 'noopener', text: m[4] }));
    else out.push(m[4]);
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

// markdown renders paragraphs and "- " lists as DOM nodes (never as HTML, so nothing is injected).
function markdown(text) {
  const box = h('div', { class: 'md' });
  for (const block of String(text || '').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.trim());
    if (!lines.length) continue;
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      box.append(h('ul', {}, lines.map((l) => h('li', {}, inline(l.replace(/^\s*[-*] /, ''))))));
    } else {
      box.append(h('p', {}, inline(lines.join(' '))));
    }
  }
  return box;
}

// example builds a sample value for a schema, following $refs; the document's own examples win.
function example(schema, depth = 0) {
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (depth > 6) return null;
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => example(x, depth + 1)));
  switch (s.type) {
    case 'object': {
      const o = {};
      for (const [k, v] of Object.entries(s.properties || {})) {
        if ((s.required || []).includes(k) || resolve(v).example !== undefined) o[k] = example(v, depth + 1);
      }
      return o;
    }
    case 'array': return [example(s.items, depth + 1)];
    case 'integer': case 'number': return s.minimum ?? 0;
    case 'boolean': return false;
    default: return s.enum ? s.enum[0] : '';
  }
}

function typeOf(p) {
  const r = resolve(p);
  const target = p.allOf ? p.allOf[0] : p;
  if (refName(target)) return refName(target);
  if (r.type === 'array') return `array of ${refName(r.items) || resolve(r.items).type || 'any'}`;
  return [r.type, r.format].filter(Boolean).join(', ') || 'any';
}

// schemaTable lists a schema's fields; a nested object (or a list of them) opens below its field.
function schemaTable(schema, seen = []) {
  const s = resolve(schema.allOf ? schema.allOf[0] : schema);
  if (s.type !== 'object' || !s.properties) return h('pre', { text: JSON.stringify(example(schema), null, 2) });
  const required = new Set(s.required || []);
  const rows = Object.entries(s.properties).map(([name, p]) => {
    const r = resolve(p);
    const notes = h('td', {});
    const facts = [];
    if (required.has(name)) facts.push('required');
    if (r.nullable) facts.push('nullable');
    if (r.enum) facts.push(`one of ${r.enum.join(', ')}`);
    if (r.minimum !== undefined) facts.push(`≥ ${r.minimum}`);
    if (r.maximum !== undefined) facts.push(`≤ ${r.maximum}`);
    if (r.maxLength !== undefined) facts.push(`at most ${r.maxLength} characters`);
    if (facts.length) notes.append(h('span', { class: 'facts', text: facts.join(' · ') }));
    if (r.description) notes.append(markdown(r.description));
    // Open the nested type in place, unless it is one of the types around it already.
    const inner = p.allOf ? p.allOf[0] : (resolve(p).type === 'array' ? resolve(p).items : p);
    const innerName = refName(inner);
    if (innerName && !seen.includes(innerName) && resolve(inner).type === 'object' && resolve(inner).properties) {
      notes.append(h('details', { class: 'nested' }, h('summary', { text: `${innerName} fields` }), schemaTable(inner, [...seen, innerName])));
    }
    return h('tr', {}, h('td', {}, h('code', { text: name })), h('td', { text: typeOf(p) }), notes);
  });
  return h('table', {}, h('thead', {}, h('tr', {}, h('th', { text: 'field' }), h('th', { text: 'type' }), h('th', { text: 'notes' }))), h('tbody', {}, rows));
}

// curl writes the operation as a command with a placeholder key (never the reader's own).
function curl(path, method, op, params, body) {
  const origin = location.origin;
  const lines = [`curl -X ${method.toUpperCase()} '${origin}/api/v1${path.replace(/\{(\w+)\}/g, (_, n) => `<${n}>`)}'`];
  if ((op.security || []).length) lines.push(`-H 'Authorization: Bearer sk_test_YOUR_KEY'`);
  if (params.some((p) => p.name === 'Idempotency-Key')) lines.push(`-H 'Idempotency-Key: <unique key>'`);
  if (body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d '${JSON.stringify(body, null, 2).replace(/'/g, "'\\''")}'`);
  }
  return lines.join(' \\\n  ');
}

function jsonBody(content) {
  const mt = content?.['application/json'];
  if (!mt) return null;
  return { schema: mt.schema, example: mt.example !== undefined ? mt.example : example(mt.schema) };
}

function operation(path, method, op) {
  const id = op.operationId || `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-');
  const params = (op.parameters || []).map(resolve);
  const req = op.requestBody && jsonBody(resolve(op.requestBody).content);
  const sec = h('section', { class: 'op', id },
    h('h3', {}, h('span', { class: `method ${method.toUpperCase()}`, text: method.toUpperCase() }), h('code', { text: path })),
    h('p', { class: 'summary' }, h('strong', { text: op.summary || '' }), op.operationId ? h('code', { class: 'opid', text: op.operationId }) : null),
    op.description ? markdown(op.description) : null);
  sec.append(h('h4', { text: 'Request' }), h('pre', { class: 'curl', text: curl(path, method, op, params, req?.example) }));
  if (params.length) {
    sec.append(h('h4', { text: 'Parameters' }), h('table', {}, h('tbody', {}, params.map((p) =>
      h('tr', {}, h('td', {}, h('code', { text: p.name })), h('td', { text: p.in }),
        h('td', {}, p.required ? h('span', { class: 'facts', text: 'required' }) : null, markdown(p.description)))))));
  }
  if (req) sec.append(h('h4', { text: 'Request body' }), schemaTable(req.schema));
  for (const [code, ref] of Object.entries(op.responses || {})) {
    const r = resolve(ref);
    if (!code.startsWith('2')) continue;
    const res = jsonBody(r.content);
    sec.append(h('h4', { text: `Response ${code}` }));
    if (res) {
      sec.append(schemaTable(res.schema), h('details', { class: 'example' }, h('summary', { text: 'Example response' }), h('pre', { text: JSON.stringify(res.example, null, 2) })));
    } else {
      sec.append(markdown(r.description || 'No body.'));
    }
  }
  const errors = Object.entries(op.responses || {}).filter(([code]) => !code.startsWith('2'));
  if (errors.length) {
    sec.append(h('h4', { text: 'Errors' }), h('table', {}, h('tbody', {}, errors.map(([code, ref]) =>
      h('tr', {}, h('td', {}, h('code', { text: code })), h('td', {}, markdown(resolve(ref).description)))))));
  }
  sec.append(tryIt(path, method, params, req));
  return { sec, id };
}

// tryIt fills the parameters and body and sends them with the key from the header.
function tryIt(path, method, params, req) {
  const form = h('form', { class: 'try' });
  const inputs = params.map((p) => {
    const input = h('input', { name: p.name, 'aria-label': `${p.name} (${p.in})` });
    if (p.name === 'Idempotency-Key') input.value = crypto.randomUUID();
    form.append(h('label', { text: `${p.name} (${p.in})` }), input);
    return [p, input];
  });
  let body;
  if (req) {
    body = h('textarea', { 'aria-label': 'Request body (JSON)' });
    body.value = JSON.stringify(req.example, null, 2);
    form.append(h('label', { text: 'Body (JSON)' }), body);
  }
  const out = h('pre', { 'aria-live': 'polite' });
  form.append(h('button', { type: 'submit', text: 'Send request' }), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let url = '/api/v1' + path;
    const q = new URLSearchParams();
    const headers = { 'Content-Type': 'application/json' };
    const key = $('#apikey').value.trim();
    if (key) headers.Authorization = `Bearer ${key}`;
    for (const [p, input] of inputs) {
      if (!input.value) continue;
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(input.value));
      else if (p.in === 'query') q.append(p.name, input.value);
      else if (p.in === 'header') headers[p.name] = input.value;
    }
    if ([...q].length) url += '?' + q;
    out.textContent = `${method.toUpperCase()} ${url} …`;
    try {
      const res = await fetch(url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined, credentials: 'omit' });
      const text = await res.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON */ }
      out.textContent = `${res.status} ${res.statusText}\n${shown}`;
    } catch (e) {
      out.textContent = `Request failed: ${e}`;
    }
  });
  return h('details', {}, h('summary', { text: 'Try it' }), form);
}

// webhook renders one event type: what SecureLink posts to an endpoint.
function webhook(type, item) {
  const op = item.post;
  const req = jsonBody(op.requestBody?.content);
  const id = `webhook-${type.replace(/\W+/g, '-')}`;
  const sec = h('section', { class: 'op', id },
    h('h3', {}, h('span', { class: 'method EVENT', text: 'EVENT' }), h('code', { text: type })),
    h('p', { class: 'summary' }, h('strong', { text: op.summary || '' })),
    markdown(op.description));
  if (req) {
    sec.append(h('h4', { text: 'Payload' }), schemaTable(req.schema),
      h('details', { class: 'example', open: '' }, h('summary', { text: 'Example payload' }), h('pre', { text: JSON.stringify(req.example, null, 2) })));
  }
  return { sec, id };
}

async function main() {
  const key = $('#apikey');
  key.value = sessionStorage.getItem('securelink.apikey') || '';
  key.addEventListener('input', () => sessionStorage.setItem('securelink.apikey', key.value));
  spec = await (await fetch('/api/docs/openapi.json')).json();
  const intro = $('#intro');
  intro.replaceWith(Object.assign(markdown(spec.info?.description), { id: 'intro' }));
  // Operations go under their first tag, in the order the document lists its tags.
  const byTag = new Map((spec.tags || []).map((t) => [t.name, { tag: t, items: [] }]));
  const group = (name) => {
    if (!byTag.has(name)) byTag.set(name, { tag: { name }, items: [] });
    return byTag.get(name).items;
  };
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
      if (!item[method]) continue;
      group((item[method].tags || ['Other'])[0]).push({ o: operation(path, method, item[method]), label: item[method].summary || `${method.toUpperCase()} ${path}`, method });
    }
  }
  for (const [type, item] of Object.entries(spec['x-webhooks'] || {})) {
    group((item.post.tags || ['Webhook events'])[0]).push({ o: webhook(type, item), label: type, method: 'event' });
  }
  const toc = $('#toc');
  const ops = $('#ops');
  for (const { tag, items } of byTag.values()) {
    if (!items.length) continue;
    const anchor = `tag-${tag.name.replace(/\W+/g, '-')}`;
    toc.append(h('h2', {}, h('a', { href: `#${anchor}`, text: tag.name })));
    ops.append(h('h2', { id: anchor, class: 'tag', text: tag.name }), tag.description ? markdown(tag.description) : null);
    for (const { o, label, method } of items) {
      toc.append(h('a', { href: `#${o.id}` }, h('span', { class: `dot ${method.toUpperCase()}`, text: method.toUpperCase() }), ' ', label));
      ops.append(o.sec);
    }
  }
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

main().catch((e) => { $('#intro').textContent = `Could not load the API description: ${e}`; });
