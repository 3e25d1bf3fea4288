/**
 * TeX math as plain Unicode text, for the places that cannot typeset it (Slack, email text and
 * subject, the webhook's plain fields, the Atom and JSON feeds, search): `plainMath` reads a formula
 * the way TeX groups it and writes each construct so that it keeps its meaning on one line.
 *
 * - Symbols (KaTeX's names: Greek, relations, arrows, operators, delimiters, letterlike symbols) as
 *   their Unicode characters; relations and arrows get a space on each side (`x\in S` → "x ∈ S").
 * - Operator names as words, spaced from the terms around them (`n\log n` → "n log n", `\sin x`,
 *   `\max_x` → "maxₓ"); `\operatorname{…}` likewise.
 * - `\frac{a}{b}` (and `\dfrac`, `\tfrac`, `{a \over b}`) as "a/b", each part in parentheses unless it
 *   is one term (a number, a letter, a bracketed group, a root of one, with its scripts): `\frac{1}{2}`
 *   → "1/2", `\frac{\sqrt{d}}{K^{1/4}}` → "√d/K^(1/4)", `\frac{n}{\log n}` → "n/(log n)". A fraction
 *   right next to a term, or with a script, is parenthesised whole: `\frac12 x` → "(1/2) x".
 * - `\binom{n}{k}` and `{n \choose k}` as "(n choose k)"; `\sqrt{x}` as "√x", a longer radicand as
 *   "√(x+y)", `\sqrt[3]{x}` as "∛x".
 * - Scripts as Unicode superscripts or subscripts when every character has one (`10^{-3}` → 10⁻³);
 *   otherwise `^*`, `^\star`, `^\dagger` and primes follow their base as they are ("Q*", "Q⋆"), and
 *   anything else reads "^x" or "^(…)" (`K^{1/4}` → "K^(1/4)", `x_{i,j}` → "x_(i,j)").
 * - Accents as combining marks on one letter (`\hat{\theta}` → "θ̂"), or "hat(xy)" on more;
 *   `\mathbb` as double-struck letters (ℝ, 𝔼, 𝟙), `\mathfrak` as Fraktur (𝔤); the other fonts
 *   (`\mathcal`, `\mathbf`, `\mathrm`, `\boldsymbol`…) as their plain letters.
 * - Sizing (`\left`, `\big`), spacing and style commands give nothing or a space; a command this
 *   module does not know stays as typed ("\name", with its braced arguments), never dropped.
 *
 * Like the rest of format/tex.ts this is linear: braces are matched once, each group is read once,
 * and nesting deeper than MAX_MATH_NESTING is kept as typed.
 */
import { decodeAccents } from "./accents.js";

/** Deeper nesting of groups and arguments than this is written as typed (and bounds the recursion). */
export const MAX_MATH_NESTING = 24;

/** Where an operator name wants a space: kept only between two terms ("n log n", not "log(n)"). */
const OP = "\u0001";
/** Where a relation or an arrow wants a space: kept unless at an end, a bracket or punctuation. */
const REL = "\u0002";
/** A space that came from OP or REL inside a script: it cannot be set as a Unicode script. */
const HARD = "\u0003";
const MARKERS = /[\u0001\u0002]+/g;
const CONTROL = /[\u0001-\u0003]/;
const SPACE_RUN = /\s{2,}/g;

type SymbolClass = "rel" | "bin" | "ord" | "letter" | "op" | "open" | "close";

/** `"name char name char …"` as a table of one class. */
function table(cls: SymbolClass, ...lines: string[]): Record<string, [string, SymbolClass]> {
  const words = lines.join(" ").trim().split(/ +/);
  const out: Record<string, [string, SymbolClass]> = {};
  for (let i = 0; i + 1 < words.length; i += 2) out[words[i]!] = [words[i + 1]!, cls];
  return out;
}

/**
 * Math symbols by command name: KaTeX's table (the names the site typesets) with a few characters
 * chosen for plain text where KaTeX picks a look-alike (`\cdot` as "·", `\mid` and `\vert` as "|",
 * `\sim` as "~", `\ast` as "*", `\epsilon` and `\phi` as the usual ε and φ), plus KaTeX's macros for
 * the same symbols (`\ne`, `\notin`, `\iff`, `\cdots`…). test/format/plain-math.test.ts checks each
 * against KaTeX's own MathML.
 */
export const MATH_SYMBOLS: Readonly<Record<string, readonly [string, SymbolClass]>> = {
  ...table(
    "letter",
    "alpha α beta β gamma γ delta δ epsilon ε zeta ζ eta η theta θ iota ι kappa κ lambda λ mu μ nu ν xi ξ",
    "omicron ο pi π rho ρ sigma σ tau τ upsilon υ phi φ chi χ psi ψ omega ω varepsilon ε vartheta ϑ",
    "varpi ϖ varrho ϱ varsigma ς varphi φ varkappa ϰ digamma ϝ",
    "Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω",
    "varGamma Γ varDelta Δ varTheta Θ varLambda Λ varXi Ξ varPi Π varSigma Σ varUpsilon Υ varPhi Φ",
    "varPsi Ψ varOmega Ω Alpha A Beta B Epsilon E Zeta Z Eta H Iota I Kappa K Mu M Nu N Omicron O",
    "Rho P Tau T Chi X aleph ℵ beth ℶ gimel ℷ daleth ℸ hbar ℏ hslash ℏ ell ℓ wp ℘ Re ℜ Im ℑ imath ı",
    "jmath ȷ eth ð partial ∂ nabla ∇ forall ∀ exists ∃ nexists ∄ neg ¬ lnot ¬ mho ℧ Finv Ⅎ Game ⅁",
    "complement ∁",
  ),
  ...table(
    "ord",
    "infty ∞ emptyset ∅ varnothing ∅ top ⊤ bot ⊥ prime ′ backprime ‵ angle ∠ measuredangle ∡",
    "sphericalangle ∢ triangle △ triangledown ▽ vartriangle △ square □ Box □ blacksquare ■ Diamond ◊",
    "lozenge ◊ blacklozenge ⧫ bigstar ★ blacktriangle ▲ blacktriangledown ▼ checkmark ✓ dag † ddag ‡",
    "S § P ¶ degree ° flat ♭ natural ♮ sharp ♯ clubsuit ♣ diamondsuit ♢ heartsuit ♡ spadesuit ♠",
    "circledS Ⓢ circledR ® copyright © pounds £ mathsterling £ yen ¥ maltese ✠ diagup ╱ diagdown ╲",
    "surd √ backslash \\ vert | Vert ‖ ldots … dots … dotso … dotsc … mathellipsis … cdots ⋯",
    "dotsb ⋯ dotsm ⋯ dotsi ⋯ vdots ⋮ varvdots ⋮ ddots ⋱ ldotp . cdotp · colon : And &",
  ),
  ...table(
    "bin",
    "pm ± mp ∓ times × div ÷ cdot · centerdot · ast * star ⋆ circ ∘ bullet ∙ bigcirc ◯ setminus ∖",
    "smallsetminus ∖ cap ∩ cup ∪ sqcap ⊓ sqcup ⊔ uplus ⊎ wedge ∧ land ∧ vee ∨ lor ∨ oplus ⊕ ominus ⊖",
    "otimes ⊗ oslash ⊘ odot ⊙ circledast ⊛ circledcirc ⊚ circleddash ⊝ boxplus ⊞ boxminus ⊟ boxtimes ⊠",
    "boxdot ⊡ dagger † ddagger ‡ diamond ⋄ wr ≀ amalg ⨿ triangleleft ◃ triangleright ▹ bigtriangleup △",
    "bigtriangledown ▽ lhd ⊲ rhd ⊳ unlhd ⊴ unrhd ⊵ lessdot ⋖ gtrdot ⋗ dotplus ∔ ltimes ⋉ rtimes ⋊",
    "leftthreetimes ⋋ rightthreetimes ⋌ curlywedge ⋏ curlyvee ⋎ barwedge ⊼ veebar ⊻ doublebarwedge ⩞",
    "intercal ⊺ Cap ⋒ Cup ⋓ doublecap ⋒ doublecup ⋓ divideontimes ⋇",
  ),
  ...table(
    "op",
    "sum ∑ prod ∏ coprod ∐ int ∫ intop ∫ smallint ∫ iint ∬ iiint ∭ oint ∮ oiint ∯ oiiint ∰ bigcup ⋃",
    "bigcap ⋂ bigvee ⋁ bigwedge ⋀ bigoplus ⨁ bigotimes ⨂ bigodot ⨀ biguplus ⨄ bigsqcup ⨆",
  ),
  ...table(
    "open",
    "langle ⟨ lvert | lVert ‖ lbrace { lbrack [ lparen ( lfloor ⌊ lceil ⌈ lgroup ⟮ lmoustache ⎰ ulcorner ⌜",
    "llcorner ⌞",
  ),
  ...table(
    "close",
    "rangle ⟩ rvert | rVert ‖ rbrace } rbrack ] rparen ) rfloor ⌋ rceil ⌉ rgroup ⟯ rmoustache ⎱ urcorner ⌝",
    "lrcorner ⌟ rang ⟩ rrbracket ⟧ rBrace ⦄",
  ),
  // KaTeX's other names for the same symbols.
  ...table("open", "lang ⟨ llbracket ⟦ lBrace ⦃"),
  ...table("letter", "R ℝ N ℕ Z ℤ reals ℝ Reals ℝ natnums ℕ cnums ℂ Complex ℂ Bbbk 𝕜 alef ℵ alefsym ℵ real ℜ"),
  ...table("letter", "image ℑ weierp ℘ thetasym ϑ exist ∃"),
  ...table("ord", "empty ∅ infin ∞ Dagger ‡ sect § bull ∙ clubs ♣ diamonds ♢ hearts ♡ spades ♠"),
  ...table("bin", "sdot · plusmn ±"),
  ...table(
    "rel",
    "notni ∌ isin ∈ sub ⊂ sube ⊆ supe ⊇ varsubsetneq ⊊ varsupsetneq ⊋ varsubsetneqq ⫋ varsupsetneqq ⫌",
    "nshortmid ∤ nshortparallel ∦ mapsfrom ↤ larr ← rarr → uarr ↑ darr ↓ harr ↔ lrarr ↔ lArr ⇐ Larr ⇐",
    "rArr ⇒ Rarr ⇒ uArr ⇑ Uarr ⇑ dArr ⇓ Darr ⇓ hArr ⇔ Harr ⇔ lrArr ⇔ Lrarr ⇔ dblcolon ∷ coloncolon ∷",
    "vcentcolon : ratio : colonequals ≔",
  ),
  ...table(
    "rel",
    "le ≤ leq ≤ ge ≥ geq ≥ lt < gt > ne ≠ neq ≠ equiv ≡ approx ≈ sim ~ simeq ≃ cong ≅ propto ∝ asymp ≍",
    "ll ≪ gg ≫ lll ⋘ ggg ⋙ llless ⋘ gggtr ⋙ in ∈ notin ∉ ni ∋ owns ∋ subset ⊂ supset ⊃ subseteq ⊆",
    "supseteq ⊇ nsubseteq ⊈ nsupseteq ⊉ subsetneq ⊊ supsetneq ⊋ subsetneqq ⫋ supsetneqq ⫌ subseteqq ⫅",
    "supseteqq ⫆ Subset ⋐ Supset ⋑ sqsubset ⊏ sqsupset ⊐ sqsubseteq ⊑ sqsupseteq ⊒ mid | nmid ∤",
    "parallel ∥ nparallel ∦ shortmid ∣ shortparallel ∥ perp ⊥ models ⊨ vdash ⊢ dashv ⊣ vDash ⊨",
    "Vdash ⊩ Vvdash ⊪ nvdash ⊬ nvDash ⊭ nVdash ⊮ nVDash ⊯ prec ≺ succ ≻ preceq ⪯ succeq ⪰ nprec ⊀",
    "nsucc ⊁ npreceq ⋠ nsucceq ⋡ preccurlyeq ≼ succcurlyeq ≽ curlyeqprec ⋞ curlyeqsucc ⋟ precsim ≾",
    "succsim ≿ precapprox ⪷ succapprox ⪸ precnsim ⋨ succnsim ⋩ precnapprox ⪹ succnapprox ⪺ precneqq ⪵",
    "succneqq ⪶ nless ≮ ngtr ≯ nleq ≰ ngeq ≱ lneq ⪇ gneq ⪈ lneqq ≨ gneqq ≩ lnsim ⋦ gnsim ⋧ lnapprox ⪉",
    "gnapprox ⪊ leqq ≦ geqq ≧ leqslant ⩽ geqslant ⩾ eqslantless ⪕ eqslantgtr ⪖ lesssim ≲ gtrsim ≳",
    "lessapprox ⪅ gtrapprox ⪆ approxeq ≊ lessgtr ≶ gtrless ≷ lesseqgtr ⋚ gtreqless ⋛ lesseqqgtr ⪋",
    "gtreqqless ⪌ nsim ≁ ncong ≆ doteq ≐ Doteq ≑ doteqdot ≑ risingdotseq ≓ fallingdotseq ≒ backsim ∽",
    "backsimeq ⋍ eqsim ≂ bumpeq ≏ Bumpeq ≎ eqcirc ≖ circeq ≗ triangleq ≜ thicksim ∼ thickapprox ≈",
    "coloneqq ≔ coloneq :− Coloneqq ∷= eqqcolon ≕ eqcolon ∹ bowtie ⋈ Join ⋈ smile ⌣ frown ⌢ smallsmile ⌣",
    "smallfrown ⌢ between ≬ pitchfork ⋔ varpropto ∝ therefore ∴ because ∵ backepsilon ∍",
    "vartriangleleft ⊲ vartriangleright ⊳ trianglelefteq ⊴ trianglerighteq ⊵ ntriangleleft ⋪",
    "ntriangleright ⋫ ntrianglelefteq ⋬ ntrianglerighteq ⋭ blacktriangleleft ◀ blacktriangleright ▶",
    "origof ⊶ imageof ⊷ multimap ⊸ to → gets ← rightarrow → leftarrow ← leftrightarrow ↔ Rightarrow ⇒",
    "Leftarrow ⇐ Leftrightarrow ⇔ longrightarrow ⟶ longleftarrow ⟵ longleftrightarrow ⟷ Longrightarrow ⟹",
    "Longleftarrow ⟸ Longleftrightarrow ⟺ implies ⟹ impliedby ⟸ iff ⟺ mapsto ↦ longmapsto ⟼",
    "hookrightarrow ↪ hookleftarrow ↩ uparrow ↑ downarrow ↓ updownarrow ↕ Uparrow ⇑ Downarrow ⇓",
    "Updownarrow ⇕ nearrow ↗ searrow ↘ swarrow ↙ nwarrow ↖ nrightarrow ↛ nleftarrow ↚ nleftrightarrow ↮",
    "nRightarrow ⇏ nLeftarrow ⇍ nLeftrightarrow ⇎ rightharpoonup ⇀ rightharpoondown ⇁ leftharpoonup ↼",
    "leftharpoondown ↽ rightleftharpoons ⇌ leftrightharpoons ⇋ upharpoonleft ↿ upharpoonright ↾",
    "downharpoonleft ⇃ downharpoonright ⇂ restriction ↾ rightsquigarrow ⇝ leadsto ⇝ leftrightsquigarrow ↭",
    "twoheadrightarrow ↠ twoheadleftarrow ↞ rightarrowtail ↣ leftarrowtail ↢ looparrowright ↬",
    "looparrowleft ↫ curvearrowright ↷ curvearrowleft ↶ circlearrowright ↻ circlearrowleft ↺",
    "dashrightarrow ⇢ dashleftarrow ⇠ rightrightarrows ⇉ leftleftarrows ⇇ rightleftarrows ⇄",
    "leftrightarrows ⇆ upuparrows ⇈ downdownarrows ⇊ Rrightarrow ⇛ Lleftarrow ⇚ Rsh ↱ Lsh ↰",
  ),
};

/**
 * Operator names set as upright words: LaTeX's and KaTeX's, and a few that papers define for
 * themselves with the same meaning everywhere (`\argmax`, `\polylog`, `\Var`…).
 */
const OPERATOR_NAMES = new Set(
  (
    "arccos arcsin arctan arctg arcctg arg ch cos cosec cosh cot cotg coth csc ctg cth deg det dim exp gcd hom " +
    "inf ker lg lim liminf limsup ln log max min Pr sec sh sin sinh sup tan tanh tg th plim injlim projlim " +
    "argmax argmin argsup arginf polylog poly softmax sgn sign diag rank tr Tr Var Cov KL supp erf mod"
  ).split(" "),
);
/** KaTeX's decorated operator names, as their plain names. */
const OPERATOR_ALIASES: Record<string, string> = {
  bmod: "mod",
  varlimsup: "limsup",
  varliminf: "liminf",
  varinjlim: "injlim",
  varprojlim: "projlim",
};

/** Combining marks for math accents, and the word a longer base is written with. */
const ACCENTS: Record<string, [mark: string, word: string]> = {
  hat: ["\u0302", "hat"],
  widehat: ["\u0302", "hat"],
  check: ["\u030C", "check"],
  widecheck: ["\u030C", "check"],
  tilde: ["\u0303", "tilde"],
  widetilde: ["\u0303", "tilde"],
  utilde: ["\u0330", "tilde"],
  acute: ["\u0301", "acute"],
  grave: ["\u0300", "grave"],
  dot: ["\u0307", "dot"],
  ddot: ["\u0308", "ddot"],
  dddot: ["\u20DB", "dddot"],
  breve: ["\u0306", "breve"],
  bar: ["\u0304", "bar"],
  mathring: ["\u030A", "ring"],
  vec: ["\u20D7", "vec"],
  overrightarrow: ["\u20D7", "vec"],
  Overrightarrow: ["\u20D7", "vec"],
  overleftarrow: ["\u20D6", "overleftarrow"],
  overleftrightarrow: ["\u20E1", "overleftrightarrow"],
  underleftarrow: ["\u20EE", "underleftarrow"],
  underrightarrow: ["\u20EF", "underrightarrow"],
  ddddot: ["\u20DC", "ddddot"],
  // A line over or under several letters is the mark on each of them.
  overline: ["\u0305", ""],
  underline: ["\u0332", ""],
  underbar: ["\u0332", ""],
};

/** Fonts that change what a letter is, as Unicode. The others (`\mathcal`, `\mathbf`…) give the letter. */
type Font = "bb" | "frak" | null;
const FONT_COMMANDS: Record<string, Font> = {
  mathbb: "bb",
  Bbb: "bb",
  mathbbm: "bb",
  mathds: "bb",
  mathbbold: "bb",
  mathfrak: "frak",
  frak: "frak",
  mathcal: null,
  mathscr: null,
  mathbf: null,
  mathit: null,
  mathsf: null,
  mathtt: null,
  mathrm: null,
  mathnormal: null,
  mathbfit: null,
  mathsfit: null,
  boldsymbol: null,
  bm: null,
  pmb: null,
  mathord: null,
  mathopen: null,
  mathclose: null,
  mathinner: null,
  mathpunct: null,
  boxed: null,
  fbox: null,
  cancel: null,
  bcancel: null,
  xcancel: null,
  sout: null,
  overbrace: null,
  underbrace: null,
  overbracket: null,
  underbracket: null,
  overgroup: null,
  undergroup: null,
  overlinesegment: null,
  underlinesegment: null,
  substack: null,
  smash: null,
  vcenter: null,
  llap: null,
  rlap: null,
  clap: null,
  mathllap: null,
  mathrlap: null,
  mathclap: null,
  displaylines: null,
};
/** Old-style font declarations: they change the rest of their group. */
const FONT_DECLARATIONS: Record<string, Font> = {
  Bbb: "bb",
  frak: "frak",
  rm: null,
  bf: null,
  it: null,
  sf: null,
  tt: null,
  cal: null,
  mit: null,
  bold: null,
  boldmath: null,
};

const BB_CAPITALS: Record<string, string> = { C: "ℂ", H: "ℍ", N: "ℕ", P: "ℙ", Q: "ℚ", R: "ℝ", Z: "ℤ" };
const FRAK_CAPITALS: Record<string, string> = { C: "ℭ", H: "ℌ", I: "ℑ", R: "ℜ", Z: "ℨ" };

/** A character in a font: double-struck or Fraktur letters (and double-struck digits). */
function inFont(ch: string, font: Font): string {
  if (font === null) return ch;
  const c = ch.charCodeAt(0);
  if (ch.length !== 1) return ch;
  if (c >= 65 && c <= 90) {
    const special = (font === "bb" ? BB_CAPITALS : FRAK_CAPITALS)[ch];
    return special ?? String.fromCodePoint((font === "bb" ? 0x1d538 : 0x1d504) + c - 65);
  }
  if (c >= 97 && c <= 122) return String.fromCodePoint((font === "bb" ? 0x1d552 : 0x1d51e) + c - 97);
  if (font === "bb" && c >= 48 && c <= 57) return String.fromCodePoint(0x1d7d8 + c - 48);
  return ch;
}

/** Text-mode commands inside math (`\text{…}`): their content, as text. */
const TEXT_COMMANDS = new Set(
  "text textrm textsf texttt textit textbf textsl textup textmd textnormal emph mbox hbox textsc".split(" "),
);

/** Commands that only change the look or the size: nothing to write. */
const IGNORED = new Set(
  (
    "displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits nonumber notag relax mathstrut strut " +
    "nobreak allowbreak big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm biggm Biggm " +
    "tiny scriptsize footnotesize small normalsize large Large LARGE huge Huge"
  ).split(" "),
);
/** Delimiter sizing: the delimiter after it stays, `.` (no delimiter) goes. */
const SIZERS = new Set(["left", "right", "middle"]);
/** Spacing commands with a width: a space (negative ones, nothing). */
const SPACES = new Set(
  "quad qquad enspace enskip thinspace medspace thickspace space nobreakspace hfill hfil".split(" "),
);
const NEGATIVE_SPACES = new Set(["negthinspace", "negmedspace", "negthickspace"]);
/** Commands with an argument that typesets nothing. */
const INVISIBLE = new Set(["phantom", "hphantom", "vphantom", "label", "color", "hspace", "vspace"]);

/** Environments and the brackets they set around their rows. */
const ENVIRONMENTS: Record<string, [string, string]> = {
  pmatrix: ["(", ")"],
  "pmatrix*": ["(", ")"],
  bmatrix: ["[", "]"],
  "bmatrix*": ["[", "]"],
  Bmatrix: ["{", "}"],
  vmatrix: ["|", "|"],
  Vmatrix: ["‖", "‖"],
  cases: ["{", ""],
  rcases: ["", "}"],
};

/** What `\not` makes of the relation after it. */
const NEGATED: Record<string, string> = {
  "=": "≠",
  "<": "≮",
  ">": "≯",
  "∈": "∉",
  "∋": "∌",
  "⊂": "⊄",
  "⊃": "⊅",
  "⊆": "⊈",
  "⊇": "⊉",
  "≤": "≰",
  "≥": "≱",
  "≡": "≢",
  "~": "≁",
  "∼": "≁",
  "≈": "≉",
  "≅": "≇",
  "≃": "≄",
  "|": "∤",
  "∥": "∦",
  "∃": "∄",
  "≺": "⊀",
  "≻": "⊁",
  "⊢": "⊬",
  "⊨": "⊭",
};

/** Characters TeX escapes with a backslash, in math as in text. */
const ESCAPED = new Set(["%", "&", "#", "_", "$", "{", "}"]);

function scriptTable(from: string, to: string): Record<string, string> {
  const keys = Array.from(from);
  const values = Array.from(to);
  return Object.fromEntries(keys.map((k, i) => [k, values[i]!]));
}

export const SUPERSCRIPTS = scriptTable(
  "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθφχ′⊤",
  "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᵠᵡ′ᵀ",
);
export const SUBSCRIPTS = scriptTable(
  "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
  "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
);
const SCRIPT_CHARS = new Set([...Object.values(SUPERSCRIPTS), ...Object.values(SUBSCRIPTS)]);
/** Superscripts that read right after their base as they are: `Q^*` → "Q*", `A^\dagger` → "A†". */
const INLINE_SUPERSCRIPT = /^[*⋆†‡′″‴']+$/;

/** Each character of `text` (braces and spaces aside) in its script form, or null if one has none. */
export function scriptChars(text: string, table: Record<string, string>): string | null {
  let out = "";
  for (const ch of text) {
    if (ch === "{" || ch === "}" || ch === " ") continue;
    const script = table[ch];
    if (script === undefined) return null;
    out += script;
  }
  return out === "" ? null : out;
}

/**
 * A command's text outside math (the text renderer of format/tex.ts): a symbol's character or an
 * operator's name, or undefined for a command this module does not know as a symbol.
 */
export function textSymbol(name: string): string | undefined {
  if (name === "TeX" || name === "LaTeX") return name;
  return MATH_SYMBOLS[name]?.[0] ?? (OPERATOR_NAMES.has(name) ? name : (OPERATOR_ALIASES[name] ?? undefined));
}

/** Whether `plainMath` knows the command (it never writes it as "\name"). For the tests. */
export function knownMathCommand(name: string): boolean {
  return (
    name in MATH_SYMBOLS ||
    OPERATOR_NAMES.has(name) ||
    name in OPERATOR_ALIASES ||
    name in EXTENSIBLE_ARROWS ||
    name in ACCENTS ||
    name in FONT_COMMANDS ||
    name in FONT_DECLARATIONS ||
    TEXT_COMMANDS.has(name) ||
    IGNORED.has(name) ||
    SIZERS.has(name) ||
    SPACES.has(name) ||
    NEGATIVE_SPACES.has(name) ||
    INVISIBLE.has(name) ||
    STRUCTURAL.has(name)
  );
}

/** Commands read by `MathReader.command` itself. */
const STRUCTURAL = new Set(
  (
    "frac dfrac tfrac cfrac nicefrac sfrac binom dbinom tbinom over choose sqrt not operatorname mathop " +
    "mathbin mathrel overset underset stackrel textcolor colorbox href unicode begin end pmod pod " +
    "kern mkern hskip mskip bra ket braket Bra Ket Braket set Set tag raisebox TeX LaTeX KaTeX cr newline " +
    "hline hdashline operatornamewithlimits url"
  ).split(" "),
);

/** Arrows that stretch under a label (`\xrightarrow{f}`): the arrow, the label as its superscript. */
const EXTENSIBLE_ARROWS: Record<string, string> = {
  xrightarrow: "→",
  xleftarrow: "←",
  xRightarrow: "⇒",
  xLeftarrow: "⇐",
  xleftrightarrow: "↔",
  xLeftrightarrow: "⇔",
  xhookrightarrow: "↪",
  xhookleftarrow: "↩",
  xmapsto: "↦",
  xrightharpoonup: "⇀",
  xrightharpoondown: "⇁",
  xleftharpoonup: "↼",
  xleftharpoondown: "↽",
  xrightleftharpoons: "⇌",
  xleftrightharpoons: "⇋",
  xlongequal: "=",
  xtwoheadrightarrow: "↠",
  xtwoheadleftarrow: "↞",
  xtofrom: "⇄",
  xrightleftarrows: "⇄",
  xrightequilibrium: "⇌",
  xleftequilibrium: "⇋",
};

/**
 * Formulas already written, by source: archives repeat the same symbols and short formulas ($k$,
 * $\alpha$, $\mathcal{O}(n)$) in paper after paper, and the search index writes every abstract.
 */
const written = new Map<string, string>();
const WRITTEN_LIMIT = 20_000;

/** TeX math (without its delimiters) as plain text that keeps its meaning. */
export function plainMath(tex: string): string {
  let text = written.get(tex);
  if (text === undefined) {
    if (written.size >= WRITTEN_LIMIT) written.clear();
    text = readMath(tex);
    written.set(tex, text);
  }
  return text;
}

function readMath(tex: string): string {
  const source = CONTROL.test(tex) ? tex.replace(/[\u0001-\u0003]/g, "") : tex;
  const reader = new MathReader(source);
  return resolveSpaces(reader.sequence(0, source.length, 0, null).text, " ")
    .replace(SPACE_RUN, " ")
    .trim()
    .normalize("NFC");
}

/** One piece of a formula: `pre` and `tail` are spacing marks around the nucleus and its scripts. */
interface Atom {
  pre: string;
  nucleus: string;
  /** Superscripts and subscripts, in the order they were typed. */
  scripts: string;
  tail: string;
  /** A fraction, parenthesised whole when a term or a script is next to it. */
  frac: boolean;
  /** A group (`{x+y}`, `\mathbf{x+y}`), parenthesised when it takes a script and is not one term. */
  group: boolean;
  space: boolean;
}

interface Rendered {
  text: string;
  frac: boolean;
}

interface Argument {
  start: number;
  end: number;
  next: number;
}

const WHITESPACE = /\s/;
/** A character a term can end with: a space from OP goes after it. */
const TERM_END = /[\p{L}\p{N}\p{M})\]}⟩⌋⌉'′″*⋆†°!∞]/u;
/** A character a term can start with (a big operator too): a space from OP goes before it. */
const TERM_START = /[\p{L}\p{N}√∛∜∂∇∞∑∏∐∫∬∭∮∯∰⋃⋂⋁⋀⨁⨂⨀⨄⨆]/u;
const OPENERS = "([{⟨⌊⌈";
const CLOSERS = ")]}⟩⌋⌉,;.:!?";
const BRACKET_CLOSERS = ")]}⟩⌋⌉";
/**
 * What may stand next to a fraction without parentheses: relations, binary operators but division,
 * punctuation and absolute-value bars (`= a/b +`, `|a/b|`). Anything else (a term, a big operator,
 * a slash: `a/\frac{b}{c}` → "a/(b/c)") is wrapped.
 */
const SEPARATORS = new Set([
  ..."=<>+-−*,;:.!?|‖~",
  ...Object.values(MATH_SYMBOLS)
    .filter(([ch, cls]) => (cls === "rel" || cls === "bin") && ch !== "÷")
    .map(([ch]) => ch),
]);

function isWordEnd(ch: string): boolean {
  return ch !== "" && (TERM_END.test(ch) || SCRIPT_CHARS.has(ch));
}

/** The spacing marks of a text as spaces where they belong (`hard` is the space written), or nothing. */
function resolveSpaces(text: string, hard: string): string {
  if (!text.includes(OP) && !text.includes(REL)) return text;
  return text.replace(MARKERS, (run: string, at: number) => {
    const prev = charBefore(text, at);
    const next = charAt(text, at + run.length);
    if (prev === "" || next === "" || WHITESPACE.test(prev) || WHITESPACE.test(next)) return "";
    if (run.includes(REL)) return OPENERS.includes(prev) || CLOSERS.includes(next) ? "" : hard;
    return isWordEnd(prev) && TERM_START.test(next) ? hard : "";
  });
}

function charAt(text: string, at: number): string {
  const c = text.codePointAt(at);
  return c === undefined ? "" : String.fromCodePoint(c);
}

function charBefore(text: string, at: number): string {
  if (at <= 0) return "";
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) return text.slice(at - 2, at);
  return text[at - 1]!;
}

/** The first character of a text that is not spacing, or "". */
function firstSignificant(text: string): string {
  for (const ch of text) if (!WHITESPACE.test(ch) && ch !== OP && ch !== REL) return ch;
  return "";
}

/** The last character of a text that is not spacing, or "". */
function lastSignificant(text: string): string {
  let at = text.length;
  while (at > 0) {
    const ch = charBefore(text, at);
    if (!WHITESPACE.test(ch) && ch !== OP && ch !== REL) return ch;
    at -= ch.length;
  }
  return "";
}

/**
 * Whether a written part of a fraction reads as one term without parentheses: a number or one letter
 * (a letter may take a bracketed argument, `f(x)`, `𝔼[X]`), or a bracketed group, each after any
 * roots and before any scripts. `signed` lets a numerator start with a sign ("-1/2").
 */
export function isTerm(text: string, signed = false): boolean {
  const cps = Array.from(text);
  let i = 0;
  if (signed && (cps[0] === "-" || cps[0] === "−" || cps[0] === "+") && cps.length > 1) i++;
  while (cps[i] === "√" || cps[i] === "∛" || cps[i] === "∜") i++;
  const first = cps[i];
  if (first === undefined) return false;
  if (OPENERS.includes(first)) {
    i = closing(cps, i);
    if (i === -1) return false;
  } else if (/\p{N}/u.test(first)) {
    while (i < cps.length && /\p{N}/u.test(cps[i]!) && !SCRIPT_CHARS.has(cps[i]!)) i++;
    if (cps[i] === "." && /\p{N}/u.test(cps[i + 1] ?? "")) {
      i++;
      while (i < cps.length && /\p{N}/u.test(cps[i]!) && !SCRIPT_CHARS.has(cps[i]!)) i++;
    }
  } else if (/\p{L}/u.test(first) || first === "∞") {
    i++;
    while (i < cps.length && /\p{M}/u.test(cps[i]!)) i++;
    // Scripts may come before the argument: f₁(x).
    while (i < cps.length && (SCRIPT_CHARS.has(cps[i]!) || /\p{M}/u.test(cps[i]!))) i++;
    if (cps[i] === "(" || cps[i] === "[") {
      i = closing(cps, i);
      if (i === -1) return false;
    }
  } else return false;
  while (i < cps.length) {
    const ch = cps[i]!;
    if (SCRIPT_CHARS.has(ch) || /\p{M}/u.test(ch) || "′″‴'*⋆†‡°".includes(ch)) i++;
    else if ((ch === "^" || ch === "_") && i + 1 < cps.length) {
      if (cps[i + 1] === "(") {
        i = closing(cps, i + 1);
        if (i === -1) return false;
      } else if (WHITESPACE.test(cps[i + 1]!)) return false;
      else i += 2;
    } else return false;
  }
  return true;
}

/** The index after the bracket that closes the one at `open`, or -1. */
function closing(cps: readonly string[], open: number): number {
  const o = cps[open]!;
  const c = CLOSERS[OPENERS.indexOf(o)]!;
  let depth = 0;
  for (let j = open; j < cps.length; j++) {
    if (cps[j] === o) depth++;
    else if (cps[j] === c && --depth === 0) return j + 1;
  }
  return -1;
}

/** Reads one formula: its braces matched once, then each group read once by `sequence`. */
class MathReader {
  private readonly match: Int32Array;

  constructor(private readonly src: string) {
    this.match = new Int32Array(src.length).fill(-1);
    const open: number[] = [];
    for (let i = 0; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 123) open.push(i);
      else if (c === 125 && open.length > 0) this.match[open.pop()!] = i;
    }
  }

  /** `src[from, to)` as text with spacing marks, and whether it is one fraction. */
  sequence(from: number, to: number, depth: number, font: Font): Rendered {
    const { src } = this;
    const atoms: Atom[] = [];
    const push = (nucleus: string, extra: Partial<Atom> = {}) =>
      atoms.push({ pre: "", nucleus, scripts: "", tail: "", frac: false, group: false, space: false, ...extra });
    let infix: { name: string; at: number } | null = null;
    let i = from;
    while (i < to) {
      const c = src[i]!;
      if (WHITESPACE.test(c)) {
        while (i < to && WHITESPACE.test(src[i]!)) i++;
        push(" ", { space: true });
        continue;
      }
      if (c === "{") {
        const close = this.match[i]!;
        if (close === -1 || close >= to) {
          i++;
          continue;
        }
        if (depth + 1 >= MAX_MATH_NESTING) push(src.slice(i, close + 1));
        else {
          const group = this.sequence(i + 1, close, depth + 1, font);
          push(group.text, { frac: group.frac, group: true });
        }
        i = close + 1;
        continue;
      }
      if (c === "}") {
        i++;
        continue;
      }
      if (c === "^" || c === "_") {
        const arg = this.argument(i + 1, to);
        if (arg === null || depth + 1 >= MAX_MATH_NESTING) {
          push(c);
          i++;
          continue;
        }
        while (atoms.length > 0 && atoms[atoms.length - 1]!.space) atoms.pop();
        if (atoms.length === 0) push("");
        const base = atoms[atoms.length - 1]!;
        base.scripts += this.script(arg, c === "^", depth, font);
        i = arg.next;
        continue;
      }
      if (c === "~" || c === "&") {
        push(" ", { space: true });
        i++;
        continue;
      }
      if (c !== "\\") {
        const ch = charAt(src, i);
        push(inFont(ch, font));
        i += ch.length;
        continue;
      }
      // A command: a control word or a control symbol.
      let nameEnd = i + 1;
      while (nameEnd < to && isLetter(src.charCodeAt(nameEnd))) nameEnd++;
      if (nameEnd === i + 1) {
        const symbol = charAt(src, i + 1);
        i += 1 + symbol.length;
        if (symbol === "") push("\\");
        else if (ESCAPED.has(symbol)) push(symbol);
        else if (symbol === "|") push("‖");
        else if (symbol === "\\") {
          // A new line (of an environment, or of display math) reads as a semicolon.
          while (atoms.length > 0 && atoms[atoms.length - 1]!.space) atoms.pop();
          push(";", { tail: " " });
        } else if (",:;> ".includes(symbol) || symbol === "\n" || symbol === "\t") push(" ", { space: true });
        else if (symbol === "!" || symbol === "/" || symbol === "-" || symbol === "@") {
          // Negative space, italic correction, discretionary hyphen: nothing.
        } else push(`\\${symbol}`);
        continue;
      }
      const name = src.slice(i + 1, nameEnd);
      if (name === "over" || name === "choose") {
        if (infix === null) {
          infix = { name, at: atoms.length };
          i = nameEnd;
          continue;
        }
      }
      if (name in FONT_DECLARATIONS && !(name === "Bbb" && this.argument(nameEnd, to) !== null)) {
        font = FONT_DECLARATIONS[name]!;
        i = skipSpaces(src, nameEnd, to);
        continue;
      }
      i = this.command(name, nameEnd, to, depth, font, atoms, push);
    }
    if (infix !== null) {
      const left = resolveSpaces(joinAtoms(atoms.slice(0, infix.at)), " ").trim();
      const right = resolveSpaces(joinAtoms(atoms.slice(infix.at)), " ").trim();
      return infix.name === "over"
        ? { text: fraction(left, right), frac: true }
        : { text: binom(left, right), frac: false };
    }
    const solid = atoms.filter((a) => !a.space);
    const frac = solid.length === 1 && solid[0]!.frac && solid[0]!.scripts === "";
    return { text: joinAtoms(atoms), frac };
  }

  /** Reads the command `name` (its name ends at `after`) into `atoms`; returns where reading goes on. */
  private command(
    name: string,
    after: number,
    to: number,
    depth: number,
    font: Font,
    atoms: Atom[],
    push: (nucleus: string, extra?: Partial<Atom>) => void,
  ): number {
    const { src } = this;
    const symbol = MATH_SYMBOLS[name];
    if (symbol !== undefined) {
      const [ch, cls] = symbol;
      if (cls === "rel") push(ch, { pre: REL, tail: REL });
      else if (name === "colon") push(ch, { tail: " " });
      else push(ch);
      // TeX drops the space after a control word: a letter keeps to the term it starts (`\alpha x` →
      // αx); another symbol gets the space after it that it has before it (`a \cdot b`, `d\times d`).
      const next = skipSpaces(src, after, to);
      if (cls !== "letter" && next > after && atoms.length > 1 && atoms[atoms.length - 2]!.space) {
        push(" ", { space: true });
      }
      return next;
    }
    if (OPERATOR_NAMES.has(name) || name in OPERATOR_ALIASES) {
      push(OPERATOR_ALIASES[name] ?? name, { pre: OP, tail: OP });
      return skipSpaces(src, after, to);
    }
    if (IGNORED.has(name)) return after;
    if (SIZERS.has(name)) {
      const j = skipSpaces(src, after, to);
      return src[j] === "." ? j + 1 : j;
    }
    if (SPACES.has(name)) {
      push(" ", { space: true });
      return after;
    }
    if (NEGATIVE_SPACES.has(name)) return after;
    if (depth + 1 >= MAX_MATH_NESTING) {
      push(`\\${name}`);
      return after;
    }
    const accent = ACCENTS[name];
    if (accent !== undefined) {
      const arg = this.argument(after, to);
      if (arg === null) return this.unknown(name, after, to, depth, push);
      push(accented(this.inner(arg, depth, font), accent));
      return arg.next;
    }
    if (name in FONT_COMMANDS) {
      const arg = this.argument(after, to);
      // Without its argument (a brace the formula never closes) a font changes nothing.
      if (arg === null) return after;
      const group = this.sequence(arg.start, arg.end, depth + 1, FONT_COMMANDS[name]!);
      push(group.text, { frac: group.frac, group: true });
      return arg.next;
    }
    if (TEXT_COMMANDS.has(name)) {
      const arg = this.argument(after, to);
      if (arg === null) return after;
      push(this.text(arg.start, arg.end, depth + 1));
      return arg.next;
    }
    if (INVISIBLE.has(name)) {
      const start = src[skipSpaces(src, after, to)] === "*" ? skipSpaces(src, after, to) + 1 : after;
      const arg = this.argument(start, to);
      if (arg === null) return this.unknown(name, after, to, depth, push);
      if (name === "hspace") push(" ", { space: true });
      return arg.next;
    }
    switch (name) {
      case "frac":
      case "dfrac":
      case "tfrac":
      case "cfrac":
      case "nicefrac":
      case "sfrac":
      case "binom":
      case "dbinom":
      case "tbinom": {
        const top = this.argument(after, to);
        const bottom = top === null ? null : this.argument(top.next, to);
        if (top === null || bottom === null) return this.unknown(name, after, to, depth, push);
        const a = this.inner(top, depth, font);
        const b = this.inner(bottom, depth, font);
        if (name.endsWith("binom")) push(binom(a, b));
        else push(fraction(a, b), { frac: true });
        return bottom.next;
      }
      case "sqrt": {
        let j = skipSpaces(src, after, to);
        let index = "";
        if (src[j] === "[") {
          const close = this.bracket(j, to);
          if (close !== -1) {
            index = resolveSpaces(this.sequence(j + 1, close, depth + 1, font).text, " ").trim();
            j = close + 1;
          }
        }
        const arg = this.argument(j, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        const radicand = this.inner(arg, depth, font);
        push(root(index) + (isTerm(radicand) ? radicand : `(${radicand})`));
        return arg.next;
      }
      case "not": {
        const arg = this.argument(after, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        const negated = this.inner(arg, depth, font);
        push(NEGATED[negated] ?? `${negated}\u0338`, { pre: REL, tail: REL });
        return arg.next;
      }
      case "operatorname":
      case "operatornamewithlimits":
      case "mathop": {
        const j = skipSpaces(src, after, to);
        const arg = this.argument(src[j] === "*" ? j + 1 : after, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        const word = this.inner(arg, depth, font);
        // `\mathop{\sum}` is a symbol; a name made of letters reads as a word.
        if (/^[\p{L}\s]+$/u.test(word) && Array.from(word).length > 1) push(word, { pre: OP, tail: OP });
        else push(word);
        return skipSpaces(src, arg.next, to);
      }
      case "mathbin":
      case "mathrel": {
        const arg = this.argument(after, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        const marks = name === "mathrel" ? { pre: REL, tail: REL } : {};
        push(this.inner(arg, depth, font), marks);
        return arg.next;
      }
      case "overset":
      case "stackrel":
      case "underset": {
        const over = this.argument(after, to);
        const base = over === null ? null : this.argument(over.next, to);
        if (over === null || base === null) return this.unknown(name, after, to, depth, push);
        const written = this.inner(base, depth, font);
        const rel = MATH_SYMBOLS[src.slice(base.start + 1, base.end)]?.[1] === "rel" || /^[=<>]$/.test(written);
        const script = this.script(over, name !== "underset", depth, font);
        push(written, {
          scripts: script,
          ...(rel ? { pre: REL, tail: REL } : {}),
        });
        return base.next;
      }
      case "bra":
      case "ket":
      case "braket":
      case "Bra":
      case "Ket":
      case "Braket":
      case "set":
      case "Set": {
        const arg = this.argument(after, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        const inner = this.inner(arg, depth, font);
        const kind = name.toLowerCase();
        push(
          kind === "bra" ? `⟨${inner}|` : kind === "ket" ? `|${inner}⟩` : kind === "set" ? `{${inner}}` : `⟨${inner}⟩`,
        );
        return arg.next;
      }
      case "tag": {
        const j = skipSpaces(src, after, to);
        const arg = this.argument(src[j] === "*" ? j + 1 : after, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        push(` (${this.text(arg.start, arg.end, depth + 1)})`);
        return arg.next;
      }
      case "raisebox": {
        const lift = this.argument(after, to);
        const arg = lift === null ? null : this.argument(lift.next, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        push(this.text(arg.start, arg.end, depth + 1));
        return arg.next;
      }
      case "url": {
        // The URL as written, its escapes undone: plain text, never a link.
        const arg = this.argument(after, to);
        if (arg === null || src[skipSpaces(src, after, to)] !== "{") return this.unknown(name, after, to, depth, push);
        push(
          src
            .slice(arg.start, arg.end)
            .replace(/\\([_#%&~$])/g, "$1")
            .trim(),
        );
        return arg.next;
      }
      case "TeX":
      case "LaTeX":
      case "KaTeX":
        push(name);
        return after;
      case "cr":
      case "newline":
        while (atoms.length > 0 && atoms[atoms.length - 1]!.space) atoms.pop();
        push(";", { tail: " " });
        return after;
      case "hline":
      case "hdashline":
        return after;
    }
    const arrow = EXTENSIBLE_ARROWS[name];
    if (arrow !== undefined) {
      const j = skipSpaces(src, after, to);
      const close = src[j] === "[" ? this.bracket(j, to) : j - 1;
      const arg = close === -1 ? null : this.argument(close + 1, to);
      if (arg === null) return this.unknown(name, after, to, depth, push);
      push(arrow, { pre: REL, tail: REL, scripts: this.script(arg, true, depth, font) });
      return arg.next;
    }
    switch (name) {
      case "textcolor":
      case "colorbox":
      case "href": {
        const first = this.argument(after, to);
        const second = first === null ? null : this.argument(first.next, to);
        if (first === null || second === null) return this.unknown(name, after, to, depth, push);
        push(this.sequence(second.start, second.end, depth + 1, font).text);
        return second.next;
      }
      case "unicode": {
        const arg = this.argument(after, to);
        const code = arg === null ? "" : src.slice(arg.start, arg.end).trim();
        const value = /^x[0-9a-f]+$/i.test(code)
          ? Number.parseInt(code.slice(1), 16)
          : /^\d+$/.test(code)
            ? Number(code)
            : Number.NaN;
        const ok = value > 31 && value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff);
        if (arg === null || !ok) return this.unknown(name, after, to, depth, push);
        push(String.fromCodePoint(value));
        return arg.next;
      }
      case "begin":
      case "end": {
        const arg = this.argument(after, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        const env = ENVIRONMENTS[src.slice(arg.start, arg.end).trim()];
        let next = arg.next;
        // `\begin{array}{cc}`: the column specification is not content.
        if (name === "begin" && /^(?:array|subarray)\*?$/.test(src.slice(arg.start, arg.end).trim())) {
          next = this.argument(next, to)?.next ?? next;
        }
        const delimiter = env === undefined ? "" : env[name === "begin" ? 0 : 1];
        push(delimiter === "" ? " " : delimiter, { space: delimiter === "" });
        return next;
      }
      case "pmod":
      case "pod": {
        const arg = this.argument(after, to);
        if (arg === null) return this.unknown(name, after, to, depth, push);
        const inner = this.inner(arg, depth, font);
        push(name === "pmod" ? `(mod ${inner})` : `(${inner})`);
        return arg.next;
      }
      case "kern":
      case "mkern":
      case "hskip":
      case "mskip": {
        const width = /^\s*-?(?:\d+\.?\d*|\.\d+)\s*(?:mu|em|ex|pt|cm|mm|in|bp|pc|dd|cc|sp)/.exec(src.slice(after, to));
        if (width === null) return this.unknown(name, after, to, depth, push);
        if (!width[0].includes("-")) push(" ", { space: true });
        return after + width[0].length;
      }
    }
    return this.unknown(name, after, to, depth, push);
  }

  /** An unknown command as typed, with the braced groups right after it (their content read as math). */
  private unknown(
    name: string,
    after: number,
    to: number,
    depth: number,
    push: (nucleus: string, extra?: Partial<Atom>) => void,
  ): number {
    let out = `\\${name}`;
    let j = after;
    while (j < to && this.src[j] === "{" && this.match[j]! !== -1 && this.match[j]! < to) {
      const close = this.match[j]!;
      out += `{${resolveSpaces(this.sequence(j + 1, close, depth + 1, null).text, " ").trim()}}`;
      j = close + 1;
    }
    push(out);
    return j;
  }

  /** An argument as written on its own: spacing resolved, trimmed. */
  private inner(arg: Argument, depth: number, font: Font): string {
    return resolveSpaces(this.sequence(arg.start, arg.end, depth + 1, font).text, " ").trim();
  }

  /** A script's argument as Unicode script characters, or inline (`*`, `^x`, `^(…)`). */
  private script(arg: Argument, sup: boolean, depth: number, font: Font): string {
    const written = resolveSpaces(this.sequence(arg.start, arg.end, depth + 1, font).text, HARD).trim();
    if (written === "") return "";
    const mapped = scriptChars(written, sup ? SUPERSCRIPTS : SUBSCRIPTS);
    if (mapped !== null) return mapped;
    const plain = written.replaceAll(HARD, " ");
    if (sup && INLINE_SUPERSCRIPT.test(plain)) return plain;
    if (sup && plain === "∘") return "°";
    const mark = sup ? "^" : "_";
    // One character, or one bracketed group (`C^{(\ell)}` → "C^(ℓ)"), needs no parentheses of its own.
    const cps = Array.from(plain);
    const whole = /^.\p{M}*$/u.test(plain) || (cps[0] === "(" && closing(cps, 0) === cps.length);
    return whole ? `${mark}${plain}` : `${mark}(${plain})`;
  }

  /**
   * Text inside `\text{…}`: accents decoded, escapes undone, known symbols as characters, math
   * between `$…$` read as math, other commands as typed.
   */
  private text(from: number, to: number, depth: number): string {
    const { src } = this;
    let out = "";
    let start = from;
    let i = from;
    const flush = (end: number) => {
      if (end > start) out += plainTextChunk(src.slice(start, end));
    };
    while (i < to) {
      const c = src[i];
      if (c === "\\") i += 2;
      else if (c === "$") {
        let close = i + 1;
        while (close < to && src[close] !== "$") close += src[close] === "\\" ? 2 : 1;
        if (close >= to) break;
        flush(i);
        out += resolveSpaces(this.sequence(i + 1, close, depth + 1, null).text, " ");
        i = close + 1;
        start = i;
      } else i++;
    }
    flush(to);
    return out;
  }

  /** The next argument after `from`: a braced group, one command or one character; null if none. */
  private argument(from: number, to: number): Argument | null {
    const { src } = this;
    const j = skipSpaces(src, from, to);
    if (j >= to) return null;
    const c = src[j]!;
    if (c === "{") {
      const close = this.match[j]!;
      return close === -1 || close >= to ? null : { start: j + 1, end: close, next: close + 1 };
    }
    if (c === "}" || c === "^" || c === "_" || c === "&") return null;
    if (c === "\\") {
      let end = j + 1;
      while (end < to && isLetter(src.charCodeAt(end))) end++;
      if (end === j + 1) end = Math.min(to, j + 1 + charAt(src, j + 1).length);
      return { start: j, end, next: end };
    }
    const end = j + charAt(src, j).length;
    return { start: j, end, next: end };
  }

  /** The index of the `]` closing the `[` at `open` (groups skipped whole), or -1. */
  private bracket(open: number, to: number): number {
    for (let j = open + 1; j < to; j++) {
      const c = this.src[j];
      if (c === "\\") j++;
      else if (c === "{" && this.match[j]! !== -1) j = this.match[j]!;
      else if (c === "]") return j;
    }
    return -1;
  }
}

/** Text-mode TeX inside math (no `$` in it): accents, escapes and symbols; other commands as typed. */
function plainTextChunk(raw: string): string {
  const decoded = raw.includes("\\") ? decodeAccents(raw) : raw;
  return decoded.replace(
    /\\(?:([A-Za-z]+)|([\s\S]))|[{}~]/g,
    (whole: string, name: string | undefined, symbol: string | undefined) => {
      if (name !== undefined) {
        if (TEXT_COMMANDS.has(name) || name in FONT_DECLARATIONS) return "";
        return name === "ldots" || name === "dots" ? "…" : (textSymbol(name) ?? whole);
      }
      if (symbol !== undefined) return ESCAPED.has(symbol) ? symbol : symbol === "\\" ? " " : whole;
      return whole === "~" ? " " : "";
    },
  );
}

/** Atoms written in order, each fraction parenthesised where a term or a script touches it. */
function joinAtoms(atoms: readonly Atom[]): string {
  const after: string[] = new Array(atoms.length);
  let next = "";
  for (let k = atoms.length - 1; k >= 0; k--) {
    after[k] = next;
    const a = atoms[k]!;
    const first = firstSignificant(a.pre + a.nucleus + a.scripts);
    if (first !== "") next = first;
  }
  let out = "";
  let prev = "";
  for (let k = 0; k < atoms.length; k++) {
    const a = atoms[k]!;
    // Spaces typed inside brackets mean nothing in TeX: `\left( x \right)` reads "(x)".
    if (a.space && (OPENERS.includes(prev || " ") || BRACKET_CLOSERS.includes(after[k] || " "))) continue;
    const scripts = a.scripts;
    let nucleus = a.nucleus;
    const next = after[k]!;
    const alone =
      (prev === "" || OPENERS.includes(prev) || SEPARATORS.has(prev)) &&
      (next === "" || BRACKET_CLOSERS.includes(next) || SEPARATORS.has(next));
    if (a.frac && (scripts !== "" || !alone)) nucleus = `(${nucleus})`;
    else if (a.group && scripts !== "" && !a.frac) {
      // `\underbrace{x+y}_n` → "(x+y)ₙ"; a word (`\mathrm{SE}^2`) or one term keeps its script as it is.
      const base = resolveSpaces(nucleus, " ").trim();
      if (base !== "" && !isTerm(base) && !/^\p{L}+$/u.test(base)) nucleus = `(${base})`;
    }
    const piece = a.pre + nucleus + scripts + a.tail;
    out += piece;
    const last = lastSignificant(piece);
    if (last !== "") prev = last;
  }
  return out;
}

/** "a/b", each part in parentheses unless it is one term. */
function fraction(top: string, bottom: string): string {
  return `${isTerm(top, true) ? top : `(${top})`}/${isTerm(bottom) ? bottom : `(${bottom})`}`;
}

function binom(n: string, k: string): string {
  return `(${n} choose ${k})`;
}

/** The root sign for an index: √, ∛, ∜, a superscript index before √, or "√[k]" as typed. */
function root(index: string): string {
  if (index === "") return "√";
  if (index === "3") return "∛";
  if (index === "4") return "∜";
  const script = scriptChars(index, SUPERSCRIPTS);
  return script === null ? `√[${index}]` : `${script}√`;
}

/** An accent as a combining mark on one letter (before its scripts), or as a word around a longer base. */
function accented(base: string, [mark, word]: [string, string]): string {
  const cps = Array.from(base);
  if (cps.length === 0) return mark;
  let end = 1;
  while (end < cps.length && /\p{M}/u.test(cps[end]!)) end++;
  if (cps.slice(end).every((ch) => SCRIPT_CHARS.has(ch))) {
    return cps.slice(0, end).join("") + mark + cps.slice(end).join("");
  }
  if (word === "") return cps.map((ch) => (WHITESPACE.test(ch) || /\p{M}/u.test(ch) ? ch : ch + mark)).join("");
  return `${word}(${base})`;
}

function skipSpaces(src: string, from: number, to: number): number {
  let j = from;
  while (j < to && WHITESPACE.test(src[j]!)) j++;
  return j;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
