// The `--where` expression language of daf_butler (tag w.2025.20: the PLY lexer parserLex.py and grammar
// parserYacc.py under python/lsst/daf/butler/registry/queries/expressions/parser/), written for ANTLR 4.
//
// Precedence, lowest first: OR, AND, then NOT (a prefix operator that applies to one comparison), then the
// comparison operators = != < <= > >= OVERLAPS (all at one level, left-associative, as the yacc grammar's
// bool_primary rule makes them), then IN / NOT IN, then + -, then * / %, then unary + -.
// The parse tree is turned into io.autobutler.core.query.expr.Node by ExpressionParser; nothing here is
// evaluated.
grammar ButlerExpression;

// Keywords and the T of time literals are case-insensitive, as PLY's re.IGNORECASE makes them.
options { caseInsensitive = true; }

// ---------------------------------------------------------------------------------------------------------------
// Parser rules
// ---------------------------------------------------------------------------------------------------------------

// An empty input is allowed and means "no constraint".
input
    : expr? EOF
    ;

expr
    : NOT expr                                                    # notExpr
    | expr AND expr                                               # andExpr
    | expr OR expr                                                # orExpr
    | boolPrimary                                                 # primaryExpr
    ;

boolPrimary
    : boolPrimary op=(EQ | NE | LT | LE | GT | GE | OVERLAPS) predicate # comparison
    | predicate                                                   # plainBoolPrimary
    ;

// Left-factored (rather than two alternatives both starting with bitExpr) so that choosing between them needs
// one token of look-ahead after the bitExpr instead of a scan over it.
predicate
    : bitExpr (NOT? IN LPAREN listItem (COMMA listItem)* RPAREN)?
    ;

bitExpr
    : bitExpr op=(MUL | DIV | MOD) bitExpr                        # mulExpr
    | bitExpr op=(ADD | SUB) bitExpr                              # addExpr
    | simpleExpr                                                  # plainBitExpr
    ;

simpleExpr
    : literal                                                     # literalExpr
    | functionCall                                                # functionExpr
    | identifier                                                  # identifierExpr
    | BIND_NAME                                                   # bindExpr
    | op=(ADD | SUB) simpleExpr                                   # unaryExpr
    | LPAREN expr (COMMA second=expr)? RPAREN                     # parenOrTupleExpr
    ;

// The items of an IN list: literals (numbers with an optional sign), simple identifiers (bind names in the
// legacy bare form, or columns), bind names and function calls (UUID('...')).
listItem
    : sign=(ADD | SUB)? NUMERIC_LITERAL                           # numericItem
    | STRING_LITERAL                                              # stringItem
    | TIME_LITERAL                                                # timeItem
    | RANGE_LITERAL                                               # rangeItem
    | functionCall                                                # functionItem
    | SIMPLE_IDENTIFIER                                           # identifierItem
    | BIND_NAME                                                   # bindItem
    ;

literal
    : NUMERIC_LITERAL
    | STRING_LITERAL
    | TIME_LITERAL
    | RANGE_LITERAL
    ;

identifier
    : SIMPLE_IDENTIFIER
    | QUALIFIED_IDENTIFIER
    ;

functionCall
    : SIMPLE_IDENTIFIER LPAREN (expr (COMMA expr)*)? RPAREN
    ;

// ---------------------------------------------------------------------------------------------------------------
// Lexer rules. Keywords and the T of time literals are case-insensitive (PLY compiles the lexer with
// re.IGNORECASE). Where two rules match, ANTLR takes the longest match and then the first rule; for this token
// set that selects the same tokens as PLY's first-match order (time, string, range, numeric, qualified and
// simple identifiers, bind names, then operators with the longer ones first).
// ---------------------------------------------------------------------------------------------------------------

IN       : 'in' ;
OR       : 'or' ;
AND      : 'and' ;
NOT      : 'not' ;
OVERLAPS : 'overlaps' ;

// T'...': the text between the quotes; no escape sequences, no newline inside.
TIME_LITERAL   : 't' '\'' ~['\n]* '\'' ;
// '...': no escape sequences (a quote cannot appear inside a string), no newline inside.
STRING_LITERAL : '\'' ~['\n]* '\'' ;

// start..stop[:stride], inclusive, stride >= 1; white space is allowed around the dots and the colon.
RANGE_LITERAL
    : '-'? DIGIT+ RANGE_SPACE* '..' RANGE_SPACE* '-'? DIGIT+ (RANGE_SPACE* ':' RANGE_SPACE* [1-9] DIGIT*)?
    ;

// Kept as text: 1, 1., 1.5, 1e10, 1.1e-10, .5, .5e+3.
NUMERIC_LITERAL
    : DIGIT+ ('.' DIGIT*)? EXPONENT?
    | '.' DIGIT+ EXPONENT?
    ;

// Two or three parts: element.field, datasetType.field, element.timespan.begin.
QUALIFIED_IDENTIFIER : NAME ('.' NAME) ('.' NAME)? ;
SIMPLE_IDENTIFIER    : NAME ;
BIND_NAME            : ':' NAME ;

LPAREN : '(' ;
RPAREN : ')' ;
EQ     : '=' ;
NE     : '!=' ;
LT     : '<' ;
LE     : '<=' ;
GT     : '>' ;
GE     : '>=' ;
ADD    : '+' ;
SUB    : '-' ;
MUL    : '*' ;
DIV    : '/' ;
MOD    : '%' ;
COMMA  : ',' ;

// Spaces and tabs are ignored; newlines only count lines. Anything else is an unexpected character.
WS : [ \t\n]+ -> skip ;

fragment NAME        : [a-z_] [a-z0-9_]* ;
fragment DIGIT       : [0-9] ;
fragment EXPONENT    : 'e' [+-]? DIGIT+ ;
// Python's \s.
fragment RANGE_SPACE : [ \t\n\r\f\u000B] ;
