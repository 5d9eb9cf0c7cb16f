/*
 * check — the minimal test harness every C test of isoloir uses.
 *
 * A test program defines `static void test_x(void)` functions and lists them in main with
 * RUN(test_x). CHECK* macros record a failure with file and line and carry on, so one run
 * shows every broken assertion. check_done() prints "N passed, N failed" and returns the exit
 * code for CTest. check_skip() exits with CTest's skip code (77) and a reason.
 */
#ifndef ISOLOIR_CHECK_H
#define ISOLOIR_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check_state {
    int passed, failed, cur_failed;
    const char *cur;
};
static struct check_state check_st;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, check_st.cur, \
                    #cond);                                                                    \
            check_st.cur_failed++;                                                             \
        }                                                                                      \
    } while (0)

#define CHECK_INT(a, b)                                                                         \
    do {                                                                                        \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                   \
        if (va_ != vb_) {                                                                       \
            fprintf(stderr, "%s:%d: %s: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
                    check_st.cur, #a, va_, #b, vb_);                                            \
            check_st.cur_failed++;                                                              \
        }                                                                                       \
    } while (0)

#define CHECK_STR(a, b)                                                                       \
    do {                                                                                      \
        const char *sa_ = (a), *sb_ = (b);                                                    \
        if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                          \
            fprintf(stderr, "%s:%d: %s: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
                    check_st.cur, #a, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");            \
            check_st.cur_failed++;                                                            \
        }                                                                                     \
    } while (0)

/* The message contains `needle` (for error messages). */
#define CHECK_HAS(hay, needle)                                                                 \
    do {                                                                                       \
        const char *h_ = (hay), *n_ = (needle);                                                \
        if (!h_ || !strstr(h_, n_)) {                                                          \
            fprintf(stderr, "%s:%d: %s: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
                    check_st.cur, h_ ? h_ : "(null)", n_);                                     \
            check_st.cur_failed++;                                                             \
        }                                                                                      \
    } while (0)

#define RUN(fn)                                \
    do {                                       \
        check_st.cur = #fn;                    \
        check_st.cur_failed = 0;               \
        fn();                                  \
        if (check_st.cur_failed) {             \
            check_st.failed++;                 \
            fprintf(stderr, "FAIL %s\n", #fn); \
        } else {                               \
            check_st.passed++;                 \
        }                                      \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_st.passed, check_st.failed);
    return check_st.failed ? 1 : 0;
}

static inline void check_skip(const char *why)
{
    printf("SKIP: %s\n", why);
    exit(77);
}

#endif
