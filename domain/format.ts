// Numbers written for people: thousands grouped as French (and most European) documents print them.

/** "1234567" → "1 234 567" with the given separator (a hand loop: a lookahead regex here moves quadratically). */
export function groupThousands(int: string, sep: string): string {
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return sign + groups.join(sep);
}

/** 12480 → "12 480,00 €" (narrow no-break space), as routing explains amounts and the touchless policy its cap. */
export function euros(n: number): string {
  const [int, dec] = n.toFixed(2).split('.') as [string, string];
  return `${groupThousands(int, '\u202f')},${dec} €`;
}
