// Statement parser: template text, `{{ }}`, `{% if %}` blocks and the
// custom `{% file %}` tag. Every other Jinja tag is rejected as
// unsupported, and tags Jinja does not know are syntax errors worded as
// Jinja words them.
import { ExpressionParser } from './expression-parser.js';
import { Lexer } from './lexer.js';
import type { Branch, TemplateNode } from './nodes.js';
import { syntaxError, unsupported } from './problem.js';
import { TokenStream } from './token-stream.js';

// Jinja 3.1's built-in tags other than `if`: each can load templates,
// define or call code, or loop, so none is supported.
const UNSUPPORTED_TAGS = new Set([
  'for',
  'block',
  'extends',
  'print',
  'macro',
  'include',
  'from',
  'import',
  'set',
  'with',
  'autoescape',
  'call',
  'filter',
]);

/** Parses a template whose newlines are already normalised. Throws a TemplateError. */
export function parseTemplate(source: string): TemplateNode[] {
  return new Parser(new TokenStream(new Lexer(source))).parse();
}

class Parser {
  private readonly expressions: ExpressionParser;
  // Tags each open block waits for, and the names of the open blocks,
  // for Jinja's "unknown tag" and "unexpected end" messages.
  private readonly endTagStack: string[][] = [];
  private readonly tagStack: string[] = [];

  constructor(private readonly stream: TokenStream) {
    this.expressions = new ExpressionParser(stream);
  }

  parse(): TemplateNode[] {
    return this.parseBody(null);
  }

  // Parses nodes until the end of the template, or until a block tag named
  // in `endTags`, which is left as the current token.
  private parseBody(endTags: string[] | null): TemplateNode[] {
    const body: TemplateNode[] = [];

    if (endTags !== null) this.endTagStack.push(endTags);

    while (this.stream.current.type !== 'eof') {
      const token = this.stream.advance();

      if (token.type === 'data') {
        body.push({ type: 'text', text: token.value });
      } else if (token.type === 'file_tag') {
        body.push({ type: 'file', path: token.value, line: token.line });
      } else if (token.type === 'variable_begin') {
        const expression = this.expressions.parseTagExpression(true);

        this.stream.expect('variable_end');
        body.push({ type: 'print', expression, line: token.line });
      } else if (token.type === 'block_begin') {
        const { current } = this.stream;

        if (endTags !== null && current.type === 'name' && endTags.includes(current.value)) break;

        body.push(this.parseStatement());
        this.stream.expect('block_end');
      } else {
        throw new Error(`parser reached unexpected token type '${token.type}'`);
      }
    }

    if (endTags !== null) this.endTagStack.pop();
    return body;
  }

  private parseStatement(): TemplateNode {
    const token = this.stream.current;

    if (token.type !== 'name') throw syntaxError(token.line, 'tag name expected');
    if (token.value === 'if') return this.parseIf();
    if (UNSUPPORTED_TAGS.has(token.value)) {
      throw unsupported(token.line, `'${token.value}' tags are not supported`);
    }

    throw this.unknownTagError(token.value, token.line);
  }

  private parseIf(): TemplateNode {
    const { line } = this.stream.advance();
    const branches: Branch[] = [];
    let otherwise: TemplateNode[] = [];

    this.stream.enterNesting(line);
    this.tagStack.push('if');

    for (;;) {
      const test = this.expressions.parseTagExpression(false);
      const body = this.parseBlockBody(['elif', 'else', 'endif']);

      branches.push({ test, body });

      const closing = this.stream.advance().value;

      if (closing === 'elif') continue;
      if (closing === 'else') otherwise = this.parseBlockBody(['endif'], true);
      break;
    }

    this.tagStack.pop();
    this.stream.leaveNesting();
    return { type: 'if', branches, otherwise, line };
  }

  // Parses from the end of a block's opening tag up to one of `endTags`.
  private parseBlockBody(endTags: string[], dropEndTag = false): TemplateNode[] {
    // Jinja accepts a colon before `%}`, as in Python: `{% if x: %}`.
    this.stream.skipIf('colon');
    this.stream.expect('block_end');

    const body = this.parseBody(endTags);

    if (this.stream.current.type === 'eof') throw this.unexpectedEndError(endTags);
    if (dropEndTag) this.stream.advance();

    return body;
  }

  private unknownTagError(name: string, line: number): Error {
    const parts = [`Encountered unknown tag '${name}'.`];
    const looking = this.endTagStack.at(-1);

    if (looking !== undefined) {
      const expected = this.endTagStack.some((tags) => tags.includes(name));
      const list = looking.map((tag) => `'${tag}'`).join(' or ');

      parts.push(
        expected
          ? `You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${list}.`
          : `Jinja was looking for the following tags: ${list}.`,
      );
    }

    this.addInnermostBlock(parts);
    return syntaxError(line, parts.join(' '));
  }

  private unexpectedEndError(endTags: string[]): Error {
    const list = endTags.map((tag) => `'${tag}'`).join(' or ');
    const parts = [
      'Unexpected end of template.',
      `Jinja was looking for the following tags: ${list}.`,
    ];

    this.addInnermostBlock(parts);
    return syntaxError(this.stream.current.line, parts.join(' '));
  }

  private addInnermostBlock(parts: string[]): void {
    const innermost = this.tagStack.at(-1);

    if (innermost !== undefined)
      parts.push(`The innermost block that needs to be closed is '${innermost}'.`);
  }
}
