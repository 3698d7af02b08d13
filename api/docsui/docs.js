// SecureLink's interactive API reference: renders openapi.json and lets a developer call the API
// with their own test key. No third-party code; the key stays in this tab's sessionStorage.
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
const resolve = (s) => {
  let seen = 0;
  while (s && s.$ref && seen++ < 20) s = s.$ref.split('/').slice(1).reduce((o, k) => o[k], spec);
  return s || {};
};

// example builds a sample value for a schema, following $refs.
function example(schema, depth = 0) {
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (depth > 6) return null;
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => example(x, depth + 1)));
  switch (s.type) {
    case 'object': {
      const o = {};
      for (const [k, v] of Object.entries(s.properties || {})) o[k] = example(v, depth + 1);
      return o;
    }
    case 'array': return [example(s.items, depth + 1)];
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    default: return s.enum ? s.enum[0] : '';
  }
}

function schemaTable(schema) {
  const s = resolve(schema);
  if (s.type !== 'object' || !s.properties) return h('pre', { text: JSON.stringify(example(schema), null, 2) });
  const rows = Object.entries(s.properties).map(([name, p]) => {
    const r = resolve(p);
    const type = p.$ref ? p.$ref.split('/').pop() : (r.type === 'array' ? `array of ${(r.items?.$ref || r.items?.type || '').split('/').pop()}` : r.type);
    return h('tr', {}, h('td', {}, h('code', { text: name })), h('td', { text: (type || '') + (r.nullable ? ' | null' : '') }),
      h('td', { text: [r.description, r.enum ? 'one of ' + r.enum.join(', ') : ''].filter(Boolean).join(' — ') }));
  });
  return h('table', {}, h('thead', {}, h('tr', {}, h('th', { text: 'field' }), h('th', { text: 'type' }), h('th', { text: 'notes' }))), h('tbody', {}, rows));
}

function operation(path, method, op) {
  const id = `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-');
  const params = (op.parameters || []).map(resolve);
  const bodySchema = op.requestBody && resolve(op.requestBody).content?.['application/json']?.schema;
  const sec = h('section', { class: 'op', id },
    h('h3', {}, h('span', { class: `method ${method.toUpperCase()}`, text: method.toUpperCase() }), h('code', { text: path })),
    h('p', { text: op.summary || '' }),
    op.description ? h('p', { text: op.description }) : null);
  if (params.length) {
    sec.append(h('h4', { text: 'Parameters' }), h('table', {}, h('tbody', {}, params.map((p) =>
      h('tr', {}, h('td', {}, h('code', { text: p.name })), h('td', { text: p.in }), h('td', { text: (p.required ? 'required. ' : '') + (p.description || '') }))))));
  }
  if (bodySchema) sec.append(h('h4', { text: 'Request body' }), schemaTable(bodySchema));
  const ok = Object.entries(op.responses || {}).find(([code]) => code.startsWith('2'));
  if (ok) {
    const rs = resolve(ok[1]).content?.['application/json']?.schema;
    sec.append(h('h4', { text: `Response ${ok[0]}` }), rs ? schemaTable(rs) : h('p', { text: 'No body.' }));
  }
  // Try it: fill the parameters and body, send with the key from the header.
  const form = h('form', { class: 'try' });
  const inputs = params.map((p) => {
    const input = h('input', { name: p.name, 'aria-label': `${p.name} (${p.in})` });
    if (p.name === 'Idempotency-Key') input.value = crypto.randomUUID();
    form.append(h('label', { text: `${p.name} (${p.in})` }), input);
    return [p, input];
  });
  let body;
  if (bodySchema) {
    body = h('textarea', { 'aria-label': 'Request body (JSON)' });
    body.value = JSON.stringify(example(bodySchema), null, 2);
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
      else if (p.in === 'query') q.set(p.name, input.value);
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
  sec.append(h('details', {}, h('summary', { text: 'Try it' }), form));
  return { sec, id, tag: (op.tags || ['other'])[0] };
}

async function main() {
  const key = $('#apikey');
  key.value = sessionStorage.getItem('securelink.apikey') || '';
  key.addEventListener('input', () => sessionStorage.setItem('securelink.apikey', key.value));
  spec = await (await fetch('/api/docs/openapi.json')).json();
  $('#intro').textContent = spec.info?.description || '';
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
      if (!item[method]) continue;
      const o = operation(path, method, item[method]);
      if (!byTag.has(o.tag)) byTag.set(o.tag, []);
      byTag.get(o.tag).push({ o, label: `${method.toUpperCase()} ${path}` });
    }
  }
  const toc = $('#toc');
  const ops = $('#ops');
  for (const [tag, list] of byTag) {
    toc.append(h('h2', { text: tag }));
    ops.append(h('h2', { text: tag }));
    for (const { o, label } of list) {
      toc.append(h('a', { href: `#${o.id}`, text: label }));
      ops.append(o.sec);
    }
  }
}

main().catch((e) => { $('#intro').textContent = `Could not load the API description: ${e}`; });
