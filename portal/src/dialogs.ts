import { h } from './dom.js';
import type { Words } from './i18n.js';

export interface ConfirmOptions {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  /** A word the guest must type before the confirm button works: nothing is erased by a stray click or Enter. */
  readonly requireWord?: string;
}

/**
 * A modal `<dialog>`: the browser traps focus in it, Escape cancels, focus returns to the opener. Cancel is
 * focused first, so Enter alone never confirms a destructive action.
 */
export function confirmDialog(words: Words, options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = `dialog-title-${Date.now()}`;
    const opener = document.activeElement as HTMLElement | null;
    const confirm = h('button', { type: 'button', className: 'danger', disabled: options.requireWord !== undefined }, options.confirmLabel);
    const cancel = h('button', { type: 'button', className: 'secondary' }, words.cancel);
    const word = options.requireWord;
    const input = word
      ? h('input', { id: `${titleId}-word`, autocomplete: 'off', spellcheck: false, on: { input: () => (confirm.disabled = input!.value.trim() !== word) } })
      : undefined;
    const dialog = h('dialog', { 'aria-labelledby': titleId },
      h('h2', { id: titleId }, options.title),
      h('p', { className: 'warning' }, options.text),
      input && h('p', {}, h('label', { for: input.id }, words.eraseLabel), input),
      h('div', { className: 'actions' }, cancel, confirm),
    );
    const finish = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(answer);
    };
    cancel.addEventListener('click', () => finish(false));
    confirm.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    (input ?? cancel).focus();
  });
}
