/** A problem in one logical line; the parser turns it into a RecipeError with a position. */
export class LineIssue extends Error {
  constructor(
    /** Offset in the logical line's raw text. */
    readonly offset: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "LineIssue";
  }
}
