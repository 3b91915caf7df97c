/** The op picker's id: the `n` shortcut focuses it (a module of its own, so the shortcut does not
 * load the form). */
export const NEW_OP_KIND_ID = 'new-op-kind';
