/*
 * banned — functions that are too easy to misuse. Included last by every .c file of isoloir
 * (through util.h), it turns their use into a compile error. Use snprintf, memcpy with an
 * explicit size, strtol/strtoll with full error checks (util_parse_i64), fgets/getline.
 */
#ifndef ISOLOIR_BANNED_H
#define ISOLOIR_BANNED_H

#undef strcpy
#define strcpy(d, s) BANNED_use_snprintf_or_memcpy
#undef strcat
#define strcat(d, s) BANNED_use_snprintf
#undef sprintf
#define sprintf(...) BANNED_use_snprintf
#undef vsprintf
#define vsprintf(...) BANNED_use_vsnprintf
#undef gets
#define gets(s) BANNED_use_fgets
#undef atoi
#define atoi(s) BANNED_use_util_parse_i64
#undef atol
#define atol(s) BANNED_use_util_parse_i64
#undef strtok
#define strtok(s, d) BANNED_not_reentrant

#endif
