/** A few lines instead of a framework: elements from tag, properties and children (text is always text, never HTML). */
type Child = Node | string | number | false | null | undefined | readonly Child[];
type Props = Record<string, unknown> & { on?: Record<string, (event: Event) => void> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'on') {
      for (const [name, listener] of Object.entries(value as Record<string, (event: Event) => void>)) node.addEventListener(name, listener);
    } else if (value === false || value === undefined || value === null) {
      // An absent property (a condition that did not hold) sets nothing.
    } else if (key.startsWith('aria-') || key.startsWith('data-') || key === 'for' || key === 'role') {
      node.setAttribute(key, String(value));
    } else {
      (node as unknown as Record<string, unknown>)[key] = value;
    }
  }
  append(node, children);
  return node;
}

function append(node: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(typeof child === 'object' ? (child as Node) : document.createTextNode(String(child)));
  }
}

export const byId = (id: string): HTMLElement => document.getElementById(id)!;

export function replace(target: HTMLElement, ...children: Child[]): void {
  target.textContent = '';
  append(target, children);
}
