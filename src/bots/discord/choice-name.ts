/**
 * `ubuntu — Ubuntu 24.04 LTS`, within the 100 characters of a choice name. Apart from commands.ts,
 * so autocomplete (at run time) does not load @discordjs/builders, which only registering needs.
 */
export function choiceName(image: { readonly name: string; readonly description: string }): string {
  const name =
    image.description && image.description !== image.name
      ? `${image.name} — ${image.description}`
      : image.name;
  return name.length <= 100 ? name : `${name.slice(0, 99)}…`;
}
