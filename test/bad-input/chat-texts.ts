/**
 * Chat texts nobody should send but someone will: empty, huge, unicode, control characters,
 * injection-looking strings, wrong arity, negative and enormous numbers. Each must get its own
 * answer (the refusal that names its problem, or the help), never a stack trace or a crash.
 */
export interface BadChatText {
  readonly text: string;
  /**
   * Words the answer must contain, on the console, in Slack and in Discord alike: so they avoid
   * what a platform escapes (`& < > * _ ~ \` | [ \\`) and the catalog's image names.
   */
  readonly answer: string | readonly string[];
}

const HELP = 'ContainerLease lends you a short-lived container.';
const TOO_LONG = (length: number) => `That command is too long (${length} characters).`;
const UNKNOWN_IMAGE = (image: string) => `Unknown image "${image}". Choose one of:`;
const NOT_MINUTES = (value: string) => `"${value}" is not a number of minutes (try 30, 90m or 2h).`;
const NOT_AN_ID = 'is not a lease id; ids look like 7k2m9x4qpz (see /lease list).';
const DOES_NOT_TAKE = (command: string, value: string) => `/lease ${command} does not take "${value}".`;
const UNKNOWN_COMMAND = (word: string) => `I don't know "/lease ${word}".`;
const ONLY_ADMINS = (what: string) => `Only admins (ADMINS) can ${what}.`;

export const BAD_CHAT_TEXTS: readonly BadChatText[] = [
  { text: '', answer: HELP },
  { text: ' ', answer: HELP },
  { text: '\t\t', answer: HELP },
  { text: '/lease', answer: HELP },
  { text: '/lease    ', answer: HELP },
  { text: 'x'.repeat(501), answer: TOO_LONG(501) },
  { text: `/lease provision ${'u'.repeat(5000)}`, answer: TOO_LONG(5017) },
  // 2007 characters, 2006 once the console trims the line's last space.
  { text: `/lease ${'provision '.repeat(200)}`, answer: ['That command is too long (200', ' characters).'] },
  { text: '/lease provision', answer: '/lease provision needs an image, e.g. ubuntu.' },
  { text: '/lease provision ubuntu 60 extra words', answer: DOES_NOT_TAKE('provision', 'extra') },
  { text: '/lease provision 60', answer: '/lease provision needs an image, e.g. ubuntu.' },
  { text: '/lease provision -- 60', answer: UNKNOWN_IMAGE('--') },
  { text: '/lease provision ubuntu -5', answer: UNKNOWN_IMAGE('ubuntu') },
  { text: '/lease provision ubuntu 0', answer: UNKNOWN_IMAGE('ubuntu') },
  { text: '/lease provision ubuntu 99999999', answer: NOT_MINUTES('99999999') },
  { text: '/lease provision ubuntu 1e9', answer: NOT_MINUTES('1e9') },
  { text: '/lease provision ubuntu 0x10', answer: NOT_MINUTES('0x10') },
  { text: '/lease provision ubuntu NaN', answer: NOT_MINUTES('NaN') },
  { text: '/lease provision ubuntu Infinity', answer: NOT_MINUTES('Infinity') },
  { text: '/lease provision ubuntu 1.5', answer: NOT_MINUTES('1.5') },
  { text: '/lease provision ubuntu 9007199254740993', answer: NOT_MINUTES('9007199254740993') },
  { text: '/lease provision ../../etc/passwd', answer: UNKNOWN_IMAGE('../../etc/passwd') },
  { text: '/lease provision ubuntu;rm -rf /', answer: DOES_NOT_TAKE('provision', '/') },
  { text: '/lease provision $(reboot)', answer: UNKNOWN_IMAGE('$(reboot)') },
  { text: '/lease provision `id`', answer: ['Unknown image "', 'id'] },
  { text: "/lease provision ubuntu' OR '1'='1", answer: DOES_NOT_TAKE('provision', "'1'='1") },
  { text: '/lease provision <script>alert(1)</script>', answer: ['Unknown image "', 'alert(1)'] },
  { text: '/lease provision {"$gt":""}', answer: UNKNOWN_IMAGE('{"$gt":""}') },
  { text: '/lease provision %00', answer: UNKNOWN_IMAGE('%00') },
  { text: '/lease provision \u0000ubuntu', answer: UNKNOWN_IMAGE('ubuntu') },
  { text: '/lease provision ubuntu\u0007\u0008\u001b[31m', answer: '31m" is not a number of minutes' },
  { text: '/lease provision \u202eutnubu', answer: UNKNOWN_IMAGE('\u202eutnubu') },
  { text: '/lease provision ubuntu \u0661\u0662\u0660', answer: NOT_MINUTES('\u0661\u0662\u0660') },
  { text: '/lease provision 🐳 30', answer: UNKNOWN_IMAGE('🐳') },
  { text: '/lease provision ｕｂｕｎｔｕ ６０ｍ', answer: UNKNOWN_IMAGE('ubuntu') },
  { text: '/lease provision ubuntu 2h30m', answer: NOT_MINUTES('2h30m') },
  { text: '/lease provision ubuntu 10000h', answer: UNKNOWN_IMAGE('ubuntu') },
  { text: '/lease stop', answer: '/lease stop needs a lease id.' },
  { text: '/lease stop ../../../etc', answer: `"../../../etc" ${NOT_AN_ID}` },
  { text: '/lease stop *', answer: NOT_AN_ID },
  { text: '/lease stop %2e%2e', answer: `"%2e%2e" ${NOT_AN_ID}` },
  { text: '/lease stop 0000000000', answer: 'There is no lease 0000000000; see /lease list.' },
  { text: '/lease stop lease:*', answer: ['"lease:', NOT_AN_ID] },
  { text: '/lease stop {leases}:expiry', answer: `"{leases}:expiry" ${NOT_AN_ID}` },
  { text: "/lease stop '; DROP TABLE leases; --", answer: DOES_NOT_TAKE('stop', 'DROP') },
  { text: '/lease stop aaaaaaaaaa bbbbbbbbbb', answer: DOES_NOT_TAKE('stop', 'bbbbbbbbbb') },
  { text: '/lease extend', answer: '/lease extend needs a lease id.' },
  { text: '/lease extend 7k2m9x4qpz', answer: '/lease extend needs the minutes to add.' },
  { text: '/lease extend 7k2m9x4qpz -30', answer: 'There is no lease 7k2m9x4qpz; see /lease list.' },
  { text: '/lease extend 7k2m9x4qpz 0', answer: 'There is no lease 7k2m9x4qpz; see /lease list.' },
  { text: '/lease extend 7k2m9x4qpz lots', answer: NOT_MINUTES('lots') },
  { text: '/lease extend 7k2m9x4qpz 30 more', answer: DOES_NOT_TAKE('extend', 'more') },
  { text: '/lease extend 7k2m9x4qpz 999999999', answer: NOT_MINUTES('999999999') },
  { text: '/lease logs', answer: '/lease logs needs a lease id.' },
  { text: '/lease logs ../../../../', answer: `"../../../../" ${NOT_AN_ID}` },
  { text: '/lease logs 7k2m9x4qpz extra', answer: DOES_NOT_TAKE('logs', 'extra') },
  { text: '/lease list everything', answer: DOES_NOT_TAKE('list', 'everything') },
  { text: '/lease list all', answer: 'Only admins can list every lease.' },
  { text: '/lease images please', answer: DOES_NOT_TAKE('images', 'please') },
  { text: '/lease admin', answer: '/lease admin needs what to do: stop, list, audit or usage.' },
  { text: '/lease admin stop', answer: '/lease admin needs a lease id: /lease admin stop' },
  { text: '/lease admin stop 7k2m9x4qpz mining', answer: ONLY_ADMINS('stop leases as an admin') },
  {
    text: `/lease admin stop 7k2m9x4qpz ${'why '.repeat(100)}`,
    answer: ONLY_ADMINS('stop leases as an admin'),
  },
  { text: '/lease admin list all', answer: DOES_NOT_TAKE('admin', 'all') },
  { text: '/lease admin audit', answer: '/lease admin needs a lease id.' },
  { text: '/lease admin audit 7k2m9x4qpz', answer: ONLY_ADMINS('read the audit trail') },
  { text: '/lease admin audit 7k2m9x4qpz extra', answer: DOES_NOT_TAKE('admin', 'extra') },
  { text: '/lease admin usage 91', answer: ONLY_ADMINS('see usage') },
  { text: '/lease admin usage week', answer: DOES_NOT_TAKE('admin', 'week') },
  { text: '/lease admin usage -1', answer: DOES_NOT_TAKE('admin', '-1') },
  { text: '/lease admin usage 7 8', answer: DOES_NOT_TAKE('admin', '8') },
  { text: '/lease admin frobnicate', answer: DOES_NOT_TAKE('admin', 'frobnicate') },
  { text: '/lease __proto__', answer: ['I don\'t know "/lease ', 'proto'] },
  { text: '/lease constructor', answer: UNKNOWN_COMMAND('constructor') },
  { text: '/lease toString', answer: UNKNOWN_COMMAND('toString') },
  { text: '/lease hasOwnProperty', answer: UNKNOWN_COMMAND('hasOwnProperty') },
  { text: '/lease PROVISION', answer: '/lease provision needs an image, e.g. ubuntu.' },
  { text: '/lease provisionubuntu', answer: UNKNOWN_COMMAND('provisionubuntu') },
  { text: '/lease 💥', answer: UNKNOWN_COMMAND('💥') },
  { text: '/lease \u200b', answer: HELP },
  { text: '/lease \ufeffhelp', answer: HELP },
  { text: 'lease lease lease', answer: UNKNOWN_COMMAND('lease') },
  { text: '/leasex list', answer: UNKNOWN_COMMAND('/leasex') },
  { text: '/lease\nprovision\nubuntu', answer: UNKNOWN_IMAGE('ubuntu') },
];

/** The words an answer must contain, as a list. */
export function answerWords(test: { readonly answer: string | readonly string[] }): readonly string[] {
  return typeof test.answer === 'string' ? [test.answer] : test.answer;
}
