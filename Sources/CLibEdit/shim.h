/* CLibEdit: the one place bedrock touches libedit's C API (Debian libedit-dev, BSD licence).
   Swift 6 treats C globals as shared mutable state and cannot call variadic C functions, so the
   globals the REPL needs are read and written through these static inline accessors instead.
   <editline/readline.h> on purpose: <readline/readline.h> would be GNU readline (GPL, not linked). */
#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <histedit.h>
#include <editline/readline.h>

typedef char **(*clibedit_completion_fn)(const char *, int, int);

static inline void clibedit_set_name(const char *name) { rl_readline_name = name; }
static inline void clibedit_set_completion(clibedit_completion_fn f) { rl_attempted_completion_function = f; }
/* Called from inside the completion callback: 1 = no fallback to file-name completion. */
static inline void clibedit_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void clibedit_set_append_character(int c) { rl_completion_append_character = c; }
static inline void clibedit_set_word_breaks(const char *s) { rl_basic_word_break_characters = s; rl_completer_word_break_characters = (char *)s; }
static inline const char *clibedit_line_buffer(void) { return rl_line_buffer; }
static inline int clibedit_point(void) { return rl_point; }
static inline int clibedit_end(void) { return rl_end; }
static inline int clibedit_history_base(void) { return history_base; }
static inline int clibedit_history_length(void) { return history_length; }
static inline void clibedit_set_outstream(FILE *f) { rl_outstream = f; }
static inline FILE *clibedit_stdout(void) { return stdout; }
#endif
