/*
 * image_jpeg — JPEG through libjpeg(-turbo): baseline, extended and progressive Huffman-coded
 * JPEG, grey or YCbCr (or RGB when an Adobe marker or the component names say so), decoded
 * with the library's defaults (accurate integer IDCT, "fancy" upsampling) to 8-bit RGB.
 *
 * Strict: every warning of the library (corrupt data it would fill in with grey, a file that
 * ends early, extraneous bytes) is an error; an arithmetic-coded JPEG, a CMYK one, one of more
 * than IMAGE_MAX_PIXELS or with more than JPEG_MAX_SCANS scans (a progressive file can make
 * the decoder loop over the whole picture once per scan) is refused before its pixels are
 * decoded. Every refusal names the file and says what to do.
 *
 * libjpeg reports errors by longjmp: the setjmp sits in a function whose own locals are not
 * changed after it (all state lives in the struct its argument points to).
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
/* After jpeglib.h: the message codes. */
#include <jerror.h>

#include "image.h"
#include "image_int.h"

/* More scans than any encoder writes (libjpeg's own progressive scripts use about ten). */
#define JPEG_MAX_SCANS 500

enum jpeg_refusal {
    JPEG_DAMAGED = 0,
    JPEG_TOO_LARGE,
    JPEG_ARITHMETIC,
    JPEG_CMYK,
    JPEG_SCANS,
    JPEG_NOMEM,
    JPEG_NO_DATA,
};

struct jpeg_in {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr jerr;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    const uint8_t *data;
    size_t len;
    int code;                 /* libjpeg's message code of the failure, or -1 for ours */
    enum jpeg_refusal reason; /* when code is -1 */
    char msg[JMSG_LENGTH_MAX];
    uint8_t *rgb;
    unsigned w, h;
    bool seen[MAX_COMPONENTS]; /* components that appeared in a scan */
};

/* Notes the components of the scan being read. */
static void jpeg_in_note_scan(struct jpeg_in *in)
{
    const struct jpeg_decompress_struct *ci = &in->cinfo;
    for (int i = 0; i < ci->comps_in_scan && i < MAX_COMPS_IN_SCAN; i++)
        if (ci->cur_comp_info[i] && ci->cur_comp_info[i]->component_index >= 0 &&
            ci->cur_comp_info[i]->component_index < MAX_COMPONENTS)
            in->seen[ci->cur_comp_info[i]->component_index] = true;
}

static void jpeg_in_error(j_common_ptr cinfo)
{
    struct jpeg_in *in = (struct jpeg_in *)cinfo->client_data;
    in->code = cinfo->err->msg_code;
    cinfo->err->format_message(cinfo, in->msg);
    longjmp(in->jump, 1);
}

/* Level -1 is a warning: the data is damaged and the library would carry on. Refuse. Other
 * levels are trace messages, ignored. */
static void jpeg_in_message(j_common_ptr cinfo, int level)
{
    if (level < 0)
        jpeg_in_error(cinfo);
}

static void jpeg_in_refuse(struct jpeg_in *in, enum jpeg_refusal why)
{
    in->code = -1;
    in->reason = why;
    longjmp(in->jump, 1);
}

static void jpeg_in_progress(j_common_ptr cinfo)
{
    struct jpeg_in *in = (struct jpeg_in *)cinfo->client_data;
    if (!cinfo->is_decompressor)
        return;
    jpeg_in_note_scan(in);
    if (((j_decompress_ptr)cinfo)->input_scan_number > JPEG_MAX_SCANS)
        jpeg_in_refuse(in, JPEG_SCANS);
}

/* Everything that may longjmp. Returns normally only on success. */
static void jpeg_in_run(struct jpeg_in *in)
{
    struct jpeg_decompress_struct *ci = &in->cinfo;
    jpeg_create_decompress(ci);
    ci->client_data = in;
    in->progress.progress_monitor = jpeg_in_progress;
    ci->progress = &in->progress;
    jpeg_mem_src(ci, (unsigned char *)in->data, (unsigned long)in->len);
    if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK)
        jpeg_in_refuse(in, JPEG_DAMAGED);
    in->w = ci->image_width;
    in->h = ci->image_height;
    jpeg_in_note_scan(in);
    if (ci->arith_code)
        jpeg_in_refuse(in, JPEG_ARITHMETIC);
    if (ci->jpeg_color_space == JCS_CMYK || ci->jpeg_color_space == JCS_YCCK ||
        (ci->num_components != 1 && ci->num_components != 3))
        jpeg_in_refuse(in, JPEG_CMYK);
    if (in->w > IMAGE_MAX_SIDE || in->h > IMAGE_MAX_SIDE ||
        (uint64_t)in->w * in->h > IMAGE_MAX_PIXELS)
        jpeg_in_refuse(in, JPEG_TOO_LARGE);
    ci->out_color_space = JCS_RGB;
    ci->dct_method = JDCT_ISLOW;
    ci->do_fancy_upsampling = TRUE;
    in->rgb = malloc((size_t)in->w * in->h * 3);
    if (!in->rgb)
        jpeg_in_refuse(in, JPEG_NOMEM);
    jpeg_start_decompress(ci);
    if (ci->output_components != 3 || ci->output_width != in->w || ci->output_height != in->h)
        jpeg_in_refuse(in, JPEG_DAMAGED);
    while (ci->output_scanline < ci->output_height) {
        JSAMPROW row = in->rgb + (size_t)ci->output_scanline * in->w * 3;
        if (jpeg_read_scanlines(ci, &row, 1) != 1)
            jpeg_in_refuse(in, JPEG_DAMAGED);
    }
    jpeg_finish_decompress(ci); /* reads up to EOI */
    /* A component no scan carried would come out flat; libjpeg does not object. */
    for (int i = 0; i < ci->num_components; i++)
        if (!in->seen[i])
            jpeg_in_refuse(in, JPEG_NO_DATA);
}

static int jpeg_in_protected(struct jpeg_in *in)
{
    if (setjmp(in->jump))
        return -1;
    jpeg_in_run(in);
    return 0;
}

static int jpeg_refused(const struct jpeg_in *in, const char *name, struct err *e)
{
    const char *advice = "save it as a baseline JPEG or as PNG";
    if (in->code == -1) {
        switch (in->reason) {
        case JPEG_TOO_LARGE:
            return image_too_large(name, in->w, in->h, e);
        case JPEG_ARITHMETIC:
            return err_set(e, ERR_FORMAT, "%s is an arithmetic-coded JPEG; %s", name, advice);
        case JPEG_CMYK:
            return err_set(e, ERR_FORMAT,
                           "%s is a JPEG with %d colour components (CMYK?); only grey or colour "
                           "(YCbCr) JPEG is accepted: save it as an RGB JPEG or as PNG",
                           name, in->cinfo.num_components);
        case JPEG_SCANS:
            return err_set(e, ERR_FORMAT, "%s is a progressive JPEG with more than %d scans; %s",
                           name, JPEG_MAX_SCANS, advice);
        case JPEG_NOMEM:
            return err_set(e, ERR_NOMEM, "%s: out of memory for a %ux%u picture", name, in->w,
                           in->h);
        case JPEG_NO_DATA:
            return err_set(e, ERR_FORMAT,
                           "%s: the JPEG file is damaged (a colour component has no data); copy "
                           "or export the picture again",
                           name);
        case JPEG_DAMAGED:
            break;
        }
        return err_set(e, ERR_FORMAT,
                       "%s: the JPEG file is damaged; copy or export the picture again", name);
    }
    switch (in->code) {
    case JWRN_JPEG_EOF:
    case JERR_INPUT_EOF:
    case JERR_INPUT_EMPTY:
        return err_set(e, ERR_FORMAT,
                       "%s: the JPEG file ends too soon (truncated file?); copy or export the "
                       "picture again",
                       name);
    case JERR_BAD_PRECISION:
        return err_set(e, ERR_FORMAT, "%s is a %d-bit JPEG; only 8-bit JPEG is accepted: %s", name,
                       in->cinfo.data_precision, advice);
    case JERR_EMPTY_IMAGE:
        if (in->cinfo.image_height == 0 && in->cinfo.image_width > 0)
            return err_set(e, ERR_FORMAT,
                           "%s: the JPEG gives its height at the end of the file (DNL), which "
                           "is not supported; save it again as a baseline JPEG or as PNG",
                           name);
        break;
    case JERR_IMAGE_TOO_BIG:
        return image_too_large(name, in->cinfo.image_width, in->cinfo.image_height, e);
    case JERR_SOF_UNSUPPORTED:
        return err_set(e, ERR_FORMAT, "%s is a lossless or hierarchical JPEG; %s", name, advice);
    case JERR_NOT_COMPILED:
        return err_set(e, ERR_FORMAT, "%s uses a JPEG feature this builder lacks (%s); %s", name,
                       in->msg, advice);
    case JERR_OUT_OF_MEMORY:
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    default:
        break;
    }
    return err_set(e, ERR_FORMAT,
                   "%s: the JPEG file is damaged (%s); copy or export the picture again", name,
                   in->msg);
}

int image_jpeg_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                      struct err *e)
{
    memset(out, 0, sizeof *out);
    struct jpeg_in *in = calloc(1, sizeof *in);
    if (!in)
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    in->data = data;
    in->len = len;
    in->cinfo.err = jpeg_std_error(&in->jerr);
    in->jerr.error_exit = jpeg_in_error;
    in->jerr.emit_message = jpeg_in_message;
    int rc = 0;
    if (jpeg_in_protected(in) != 0) {
        rc = jpeg_refused(in, name, e);
        free(in->rgb);
    } else {
        out->rgb = in->rgb;
        out->w = (uint16_t)in->w;
        out->h = (uint16_t)in->h;
    }
    jpeg_destroy_decompress(&in->cinfo);
    free(in);
    return rc;
}
