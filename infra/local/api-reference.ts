import { readFileSync } from 'node:fs';

/**
 * What the local gateway serves without a token (decision 0090): the published OpenAPI description
 * (`GET /openapi.json`, the checked-in docs/api/mydata-openapi.json that the drift test keeps equal to the code)
 * and a small browsable reference of it (`GET /docs`): one page and one script of our own, no inline code,
 * no third-party requests (the page's Content-Security-Policy allows only this origin).
 */
export interface ReferenceFile {
  readonly contentType: string;
  body(): string;
}

const DESCRIPTION = new URL('../../docs/api/mydata-openapi.json', import.meta.url);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<title>mydata API reference</title>
<link rel="stylesheet" href="/docs.css">
</head>
<body>
<header><h1>mydata API reference</h1><p><a href="/openapi.json">openapi.json</a> · <input id="filter" placeholder="filter: path, id, scope"></p></header>
<main id="reference">Loading /openapi.json…</main>
<script src="/docs.js"></script>
</body>
</html>
`;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0 2rem 4rem;color:#222}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.5rem 0}
h1{font-size:1.3rem;margin:.3rem 0}h2{margin-top:2rem;border-bottom:2px solid #333}
details{border:1px solid #ddd;border-radius:4px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}code,pre{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:24rem}
.m{display:inline-block;width:4.5rem;font-weight:bold}.GET{color:#0a6}.PUT{color:#a60}.POST{color:#06a}.DELETE{color:#a00}.PATCH{color:#80a}
.s{display:inline-block;margin-right:.4rem;padding:0 .3rem;border-radius:3px;background:#eee}
#filter{width:20rem;padding:.2rem}`;

const SCRIPT = `'use strict';
(async () => {
  const main = document.getElementById('reference');
  const doc = await (await fetch('/openapi.json')).json();
  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  };
  const json = (value) => el('pre', { textContent: JSON.stringify(value, null, 2) });
  const resolve = (schema) => {
    const ref = schema && schema.$ref;
    return ref ? { [ref]: doc.components.schemas[ref.split('/').pop()] } : schema;
  };
  main.textContent = '';
  main.append(el('p', { textContent: doc.info.description }));
  const entries = [];
  for (const tag of doc.tags) {
    main.append(el('h2', { textContent: tag.name }), el('p', { textContent: tag.description }));
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.tags.includes(tag.name)) continue;
        const statuses = Object.keys(op.responses).map((s) => el('span', { className: 's', textContent: s }));
        const summary = el('summary', {}, el('span', { className: 'm ' + method.toUpperCase(), textContent: method.toUpperCase() }), el('code', { textContent: path }), ' ', op['x-route-id'] || op.operationId, ' ');
        const body = el('div', {}, el('p', { textContent: (op.summary ? op.summary + ' — ' : '') + 'callers: ' + (op['x-callers'] || []).join(', ') + ' · scopes (any): ' + ((op['x-scopes'] || []).join(', ') || 'any valid token') + ' · handler: ' + (op['x-handler'] || '') }), el('p', {}, ...statuses));
        if (op.description) body.append(el('p', { textContent: op.description }));
        if (op.parameters) body.append(el('h4', { textContent: 'Parameters' }), json(op.parameters));
        if (op.requestBody) body.append(el('h4', { textContent: 'Request body' }), json(resolve(op.requestBody.content['application/json'].schema)));
        for (const [status, answer] of Object.entries(op.responses)) {
          const content = answer.content && answer.content['application/json'];
          body.append(el('h4', { textContent: status + ' ' + answer.description }));
          if (content) body.append(json(resolve(content.schema)));
        }
        const details = el('details', {}, summary, body);
        entries.push([details, (method + ' ' + path + ' ' + (op['x-route-id'] || '') + ' ' + (op['x-scopes'] || []).join(' ')).toLowerCase()]);
        main.append(details);
      }
    }
  }
  document.getElementById('filter').addEventListener('input', (event) => {
    const words = event.target.value.toLowerCase().split(/\\s+/).filter(Boolean);
    for (const [details, text] of entries) details.hidden = !words.every((w) => text.includes(w));
  });
})();
`;

const FILES: Readonly<Record<string, ReferenceFile>> = {
  '/openapi.json': { contentType: 'application/json', body: () => readFileSync(DESCRIPTION, 'utf8') },
  '/docs': { contentType: 'text/html; charset=utf-8', body: () => PAGE },
  '/docs.js': { contentType: 'text/javascript; charset=utf-8', body: () => SCRIPT },
  '/docs.css': { contentType: 'text/css; charset=utf-8', body: () => STYLE },
};

/** The file a GET of `path` serves, if it is one of the reference's. */
export const apiReference = (path: string): ReferenceFile | undefined => FILES[path];
