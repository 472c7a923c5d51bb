// Heredoc operators in an execute command. The shell reads each heredoc body
// from the lines after the command, in order, so the parser must too.

export interface HeredocWord {
  /** The terminator line's text. */
  word: string;
  /** `<<-` lets the terminator and body lines start with tabs. */
  stripTabs: boolean;
  /** Offset of the `<<` in the scanned command. */
  offset: number;
}

const OPERATOR =
  /^<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|\\?([A-Za-z0-9_][A-Za-z0-9_.-]*))/;

/**
 * Finds the heredoc operators of a command, skipping `<<` inside quotes, shell
 * comments, arithmetic `(( ))` and `<<<` here-strings.
 * NOTE: this is a scan, not a shell parser, so a `<<` inside `$( )` that
 * itself contains an unbalanced quote may be missed or misread.
 */
export function findHeredocs(command: string): HeredocWord[] {
  const words: HeredocWord[] = [];
  const scan = { quote: "", arithmetic: 0 };
  for (let index = 0; index < command.length; index++) {
    const char = command[index] as string;
    if (scan.quote !== "") {
      index = skipInQuote(command, index, scan);
      continue;
    }
    if (char === "\\") {
      index++;
    } else if (char === "'" || char === '"') {
      scan.quote = char;
    } else if (char === "#" && startsWord(command, index)) {
      index = endOfLine(command, index);
    } else if (command.startsWith("((", index)) {
      scan.arithmetic++;
      index++;
    } else if (command.startsWith("))", index) && scan.arithmetic > 0) {
      scan.arithmetic--;
      index++;
    } else if (command.startsWith("<<", index) && scan.arithmetic === 0) {
      index = readOperator(command, index, words);
    }
  }
  return words;
}

function skipInQuote(
  command: string,
  index: number,
  scan: { quote: string },
): number {
  const char = command[index];
  if (char === scan.quote) scan.quote = "";
  else if (char === "\\" && scan.quote === '"') return index + 1;
  return index;
}

function startsWord(command: string, index: number): boolean {
  return index === 0 || /\s|;|&|\|/.test(command[index - 1] as string);
}

function endOfLine(command: string, index: number): number {
  const newline = command.indexOf("\n", index);
  return newline === -1 ? command.length : newline;
}

// Returns the index of the operator's last character so the scan continues after it.
function readOperator(
  command: string,
  index: number,
  words: HeredocWord[],
): number {
  if (command.startsWith("<<<", index)) return index + 2;

  const match = OPERATOR.exec(command.slice(index));
  if (match === null) return index + 1;

  const word = (match[2] ?? match[3] ?? match[4]) as string;
  words.push({ word, stripTabs: match[1] === "-", offset: index });
  return index + match[0].length - 1;
}

/** Reports whether a body line ends the heredoc. */
export function isTerminator(line: string, heredoc: HeredocWord): boolean {
  const text = heredoc.stripTabs ? line.replace(/^\t+/, "") : line;
  return text === heredoc.word;
}
