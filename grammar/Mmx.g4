// The .mmx modelling language. The language reference (README.md in this
// folder) describes every construct; keep the two in step.
grammar Mmx;

model : decl* EOF ;

decl
    : 'param' ID '=' expr ';'                                   # paramDecl
    | 'const' ID '=' expr ';'                                   # constDecl
    | 'enum' ID '{' ID (',' ID)* ','? '}' ';'?                  # enumDecl
    | storage=('shared' | 'ghost') type ID dims? ('=' value=init)? (walk=('walks' | 'prefetches') walks=init)? ';' # varDecl
    | kind=('spinlock' | 'mutex' | 'rwsem' | 'rwlock') ID dims? ';'  # lockDecl
    | 'proc' ID '(' (ID (',' ID)*)? ')' block                   # procDecl
    | 'thread' ID ('[' expr ']' ('as' ID)?)? block              # threadDecl
    | 'invariant' ID ':' expr ';'                               # invariantDecl
    | final=('exists' | 'forall') '(' expr ')' ';'              # finalDecl
    | '~' 'exists' '(' expr ')' ';'                             # notExistsDecl
    | 'expect' variant? ID (',' ID)* ':' ID propName? ';'       # expectDecl
    ;

propName : ID | 'exists' | 'forall' | 'assert' ;

variant : '[' paramSet (',' paramSet)* ']' ;
paramSet : ID '=' expr ;

type : 'int' | 'bool' | ID ;
dims : ('[' expr ']')+ ;
init : expr | '{' expr (',' expr)* ','? '}' ;

block : '{' stmt* '}' ;

stmt
    : type ID ('=' expr)? ';'                                   # localStmt
    | block                                                     # blockStmt
    | 'if' '(' expr ')' stmt ('else' stmt)?                     # ifStmt
    | 'while' '(' expr ')' stmt                                 # whileStmt
    | 'for' '(' ID 'in' expr '..' expr ')' stmt                 # forStmt
    | 'await' '(' expr ')' ';'                                  # awaitStmt
    | 'atomic' block                                            # atomicStmt
    | 'either' block ('or' block)+                              # eitherStmt
    | 'assume' '(' expr ')' ';'                                 # assumeStmt
    | 'assert' '(' expr (',' STRING)? ')' ';'                   # assertStmt
    | 'break' ';'                                               # breakStmt
    | 'continue' ';'                                            # continueStmt
    | 'skip' ';'                                                # skipStmt
    | lvalue op=('=' | '+=' | '-=') expr ';'                    # assignStmt
    | lvalue op=('++' | '--') ';'                               # incStmt
    | ID '(' args? ')' ';'                                      # callStmt
    ;

lvalue : ID ('[' expr ']')* ;

args : expr (',' expr)* ;

// ANTLR gives the earlier alternative the tighter binding, so the operators
// are listed from the tightest (unary) to the loosest (?: and quantifiers),
// as in C: 1 + 2 * 3 is 7 and a == 0 && b == 0 compares before it conjoins.
expr
    : primary                                                   # primaryExpr
    | op=('!' | '-' | '~' | '&' | '*') expr                     # unaryExpr
    | expr op=('*' | '/' | '%') expr                            # mulExpr
    | expr op=('+' | '-') expr                                  # addExpr
    | expr op=('<<' | '>>') expr                                # shiftExpr
    | expr op=('<' | '<=' | '>' | '>=') expr                    # relExpr
    | expr op=('==' | '!=') expr                                # eqExpr
    | expr '&' expr                                             # bitAndExpr
    | expr '^' expr                                             # bitXorExpr
    | expr '|' expr                                             # bitOrExpr
    | expr '&&' expr                                            # andExpr
    | expr '||' expr                                            # orExpr
    | <assoc=right> expr '?' expr ':' expr                      # condExpr
    | quant=('forall' | 'exists') ID 'in' range ':' expr        # quantExpr
    ;

range : expr '..' expr | ID ;

primary
    : INT                                                       # intLit
    | ('true' | 'false')                                        # boolLit
    | ID '(' args? ')'                                          # callExpr
    | ID ('[' expr ']')* '.' ID                                 # threadRegExpr
    | ID ('[' expr ']')*                                        # nameExpr
    | '(' expr ')'                                              # parenExpr
    ;

ID : [a-zA-Z_] [a-zA-Z_0-9]* ;
INT : [0-9]+ | '0' [xX] [0-9a-fA-F]+ ;
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS : [ \t\r\n]+ -> skip ;
ERRCHAR : . ;
