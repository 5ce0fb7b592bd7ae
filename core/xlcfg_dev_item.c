/*
 * The device kinds whose items are whole specifications with a grammar of
 * their own, each parsed by the kind's item function (the kinds and the
 * loop that calls them are in xlcfg_dev.c): disks and pci devices, whose
 * specifications libxlutil parses once they are known safe for it, device
 * tree paths, channels, and sound cards.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxl_utils.h>
#include <xen/io/sndif.h>

#include "xlcfg_int.h"

/* ---------------------------------------------------------------------
 * Disks and pci devices: libxlutil parses their specifications, once
 * what it cannot take (it exits or crashes) is refused here.
 */

/*
 * libxlutil's disk lexer exits the process on some control characters
 * (a newline in the words): refuse them before it sees them.
 */
int xlcfg_no_ctrl(struct xlcfg_st *st, const char *what, const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return xlcfg_err(st, "invalid %s: it holds a control character "
                             "(0x%02x)", what, *p);
    return 0;
}

/* n hexadecimal digits at *p, which moves past them. */
static bool xlcfg_hex(const char **p, int n)
{
    int i;

    for (i = 0; i < n; i++, (*p)++)
        if (!isxdigit((unsigned char)**p))
            return false;
    return true;
}

/*
 * An address as the pci key spells it, "[DDDD:]BB:DD.F[@VSLOT]" (F may
 * be '*'), up to end: libxlutil's parser crashes on a malformed one.
 */
static bool xlcfg_pci_bdf_ok(const char *p, const char *end)
{
    const char *q = p;

    if (end - p >= 5 && p[4] == ':' && xlcfg_hex(&q, 4))
        p = q + 1;
    q = p;
    if (!xlcfg_hex(&q, 2) || *q++ != ':' || !xlcfg_hex(&q, 2) ||
        *q++ != '.')
        return false;
    if (*q == '*' || (*q >= '0' && *q <= '7'))
        q++;
    else
        return false;
    if (q < end && *q == '@') {
        q++;
        if (!isxdigit((unsigned char)*q))
            return false;
        while (q < end && isxdigit((unsigned char)*q))
            q++;
    }
    return q == end;
}

/* The keys of a pci specification (xl-pci-configuration(5)). */
static const char *const xlcfg_pci_keys[] = {
    "bdf", "vdevfn", "vslot", "name", "permissive", "msitranslate",
    "seize", "power_mgmt", "rdm_policy", NULL,
};

/* Is p (up to '=') one of those keys? */
static bool xlcfg_pci_key_ok(const char *p, const char *eq)
{
    int i;

    for (i = 0; xlcfg_pci_keys[i]; i++)
        if (strlen(xlcfg_pci_keys[i]) == (size_t)(eq - p) &&
            !strncmp(p, xlcfg_pci_keys[i], (size_t)(eq - p)))
            return true;
    return false;
}

/*
 * A pci specification's shape: the first item an address or key=value,
 * the others key=value with known keys, bdf= an address.  libxlutil's
 * parser crashes on some others.
 */
static int xlcfg_pci_spec_ok(struct xlcfg_st *st, const char *spec)
{
    const char *p = spec, *end, *eq;

    if (xlcfg_no_ctrl(st, "pci specification", spec))
        return -1;
    while (*p) {
        end = p + strcspn(p, ",");
        eq = memchr(p, '=', (size_t)(end - p));
        if (!eq) {
            if (p != spec || !xlcfg_pci_bdf_ok(p, end))
                break;
        } else if (!xlcfg_pci_key_ok(p, eq) ||
                   (!strncmp(p, "bdf=", 4) && !xlcfg_pci_bdf_ok(eq + 1,
                                                                end))) {
            break;
        }
        p = *end ? end + 1 : end;
    }
    if (*p)
        return xlcfg_err(st, "invalid pci specification '%s' at '%.*s'",
                         spec, (int)strcspn(p, ","), p);
    return 0;
}

int xlcfg_disk_item(struct xlcfg_st *st, libxl_domain_config *d,
                    void *dev, const char *spec)
{
    char what[600];

    if (xlcfg_no_ctrl(st, "disk specification", spec))
        return -1;
    snprintf(what, sizeof(what), "disk specification '%s'", spec);
    return xlcfg_xlu_result(st, what, xlu_disk_parse(st->xlu, 1, &spec, dev),
                            true);
}

int xlcfg_pci_item(struct xlcfg_st *st, libxl_domain_config *d,
                   void *dev, const char *spec)
{
    libxl_device_pci *pci = dev;
    char what[600];

    pci->msitranslate = st->pci.msitranslate;
    pci->power_mgmt = st->pci.power_mgmt;
    pci->permissive = st->pci.permissive;
    pci->seize = st->pci.seize;
    /*
     * Per-device policy follows the global one.  xl reads it through
     * the hvm member whatever the type; for other types that memory
     * lies beyond their union member and is still zero.
     */
    pci->rdm_policy = d->b_info.u.hvm.rdm.policy;
    if (xlcfg_pci_spec_ok(st, spec))
        return -1;
    snprintf(what, sizeof(what), "pci specification '%s'", spec);
    if (xlcfg_xlu_result(st, what,
                         xlu_pci_parse_spec_string(st->xlu, pci, spec),
                         false))
        return -1;
    /* a PV guest with a pci device needs the host's memory map */
    if (d->c_info.type == LIBXL_DOMAIN_TYPE_PV)
        libxl_defbool_set(&d->b_info.u.pv.e820_host, true);
    return 0;
}

/* ---------------------------------------------------------------------
 * Device tree paths, and channels.
 */

int xlcfg_dtdev_item(struct xlcfg_st *st, libxl_domain_config *d,
                     void *dev, const char *spec)
{
    libxl_device_dtdev *dt = dev;

    return xlcfg_set_str(st, &dt->path, spec);
}

/* One "key = value" of a channel; the path waits for the connection. */
static int xlcfg_channel_pair(struct xlcfg_st *st, libxl_device_channel *chn,
                              const char *pair, char **path)
{
    char *key = NULL, *value = NULL;
    int rc = 0;

    if (xlcfg_pair(pair, "=", &key, &value))
        return xlcfg_err(st, "invalid value '%s' for 'channel': expected "
                         "key=value", pair);
    if (!strcmp(key, "backend"))
        rc = xlcfg_set_str(st, &chn->backend_domname, value);
    else if (!strcmp(key, "name"))
        rc = xlcfg_set_str(st, &chn->name, value);
    else if (!strcmp(key, "path"))
        rc = xlcfg_set_str(st, path, value);
    else if (strcmp(key, "connection"))
        xlcfg_warn(st, "unknown channel parameter '%s' (ignored)", key);
    else if (!strcmp(value, "pty"))
        chn->connection = LIBXL_CHANNEL_CONNECTION_PTY;
    else if (!strcmp(value, "socket"))
        chn->connection = LIBXL_CHANNEL_CONNECTION_SOCKET;
    else
        rc = xlcfg_err(st, "invalid value '%s' for 'channel' connection",
                       value);
    free(key);
    free(value);
    return rc;
}

/*
 * Channels split their "key = value" pairs xl's other way: blanks around
 * keys and values do not count.
 */
int xlcfg_channel_item(struct xlcfg_st *st, libxl_domain_config *d,
                       void *dev, const char *spec)
{
    libxl_device_channel *chn = dev;
    char **pairs = xlcfg_split(spec, ","), *path = NULL;
    int i, rc = -1;

    if (!pairs)
        return xlcfg_err(st, "out of memory");
    for (i = 0; pairs[i]; i++)
        if (xlcfg_channel_pair(st, chn, pairs[i], &path))
            goto out;
    switch (chn->connection) {
    case LIBXL_CHANNEL_CONNECTION_SOCKET:
        if (!path) {
            xlcfg_err(st, "invalid value '%s' for 'channel': "
                      "connection=socket requires path", spec);
            goto out;
        }
        chn->u.socket.path = path;
        path = NULL;
        break;
    case LIBXL_CHANNEL_CONNECTION_PTY:
        break;
    default:
        xlcfg_err(st, "invalid value '%s' for 'channel': connection is "
                  "required", spec);
        goto out;
    }
    rc = 0;
out:
    libxl_string_list_dispose(&pairs);
    free(path);
    return rc;
}

/* ---------------------------------------------------------------------
 * Sound cards: an item is a list of strings, each a card, pcm or stream
 * and its parameters.
 */

typedef int xlcfg_elem_fn(struct xlcfg_st *st, const char *s, void *elem);

/*
 * A ';'-separated value into a new array (replacing *arr) of n elements
 * of size, each set by one from its piece.
 */
static int xlcfg_semi_list(struct xlcfg_st *st, const char *v, void **arr,
                           int *num, size_t size, xlcfg_elem_fn *one)
{
    char **sl = xlcfg_split(v, ";");
    int i, n, rc = 0;

    if (!sl)
        return xlcfg_err(st, "out of memory");
    for (n = 0; sl[n]; n++)
        ;
    free(*arr);
    *arr = calloc(n ? n : 1, size);
    *num = *arr ? n : 0;
    if (!*arr)
        rc = xlcfg_err(st, "out of memory");
    for (i = 0; !rc && i < *num; i++)
        rc = one(st, sl[i], (char *)*arr + i * size);
    libxl_string_list_dispose(&sl);
    return rc;
}

static int xlcfg_vsnd_rate(struct xlcfg_st *st, const char *s, void *elem)
{
    *(uint32_t *)elem = strtoul(s, NULL, 0);
    return 0;
}

static int xlcfg_vsnd_format(struct xlcfg_st *st, const char *s, void *elem)
{
    if (libxl_vsnd_pcm_format_from_string(s, elem))
        return xlcfg_err(st, "invalid value '%s' for 'vsnd': unknown pcm "
                         "format", s);
    return 0;
}

/* The numeric parameters cards, pcms and streams share. */
#define XLCFG_VSND_NUM(key, field)                                         \
    { (key), offsetof(libxl_vsnd_params, field), XLCFG_F_U32, NULL }
static const struct xlcfg_field xlcfg_vsnd_nums[] = {
    XLCFG_VSND_NUM(XENSND_FIELD_CHANNELS_MIN, channels_min),
    XLCFG_VSND_NUM(XENSND_FIELD_CHANNELS_MAX, channels_max),
    XLCFG_VSND_NUM(XENSND_FIELD_BUFFER_SIZE, buffer_size),
};

/* vsnd parameters shared by cards, pcms and streams; 1 = not one. */
static int xlcfg_vsnd_params(struct xlcfg_st *st, libxl_vsnd_params *p,
                             const char *tok)
{
    const char *o;

    if ((o = xlcfg_opt(tok, XENSND_FIELD_SAMPLE_RATES)))
        return xlcfg_semi_list(st, o, (void **)&p->sample_rates,
                               &p->num_sample_rates,
                               sizeof(*p->sample_rates), xlcfg_vsnd_rate);
    if ((o = xlcfg_opt(tok, XENSND_FIELD_SAMPLE_FORMATS)))
        return xlcfg_semi_list(st, o, (void **)&p->sample_formats,
                               &p->num_sample_formats,
                               sizeof(*p->sample_formats),
                               xlcfg_vsnd_format);
    return XLCFG_FIELD_TOK(st, "vsnd", p, tok, xlcfg_vsnd_nums);
}

static const struct xlcfg_field xlcfg_vsnd_card_strs[] = {
    { "backend", offsetof(libxl_device_vsnd, backend_domname),
      XLCFG_F_STR, NULL },
    { XENSND_FIELD_VCARD_SHORT_NAME, offsetof(libxl_device_vsnd, short_name),
      XLCFG_F_STR, NULL },
    { XENSND_FIELD_VCARD_LONG_NAME, offsetof(libxl_device_vsnd, long_name),
      XLCFG_F_STR, NULL },
};

static const struct xlcfg_field xlcfg_vsnd_pcm_strs[] = {
    { XENSND_FIELD_DEVICE_NAME, offsetof(libxl_vsnd_pcm, name),
      XLCFG_F_STR, NULL },
};

static const struct xlcfg_field xlcfg_vsnd_stream_strs[] = {
    { XENSND_FIELD_STREAM_UNIQUE_ID,
      offsetof(libxl_vsnd_stream, unique_id), XLCFG_F_STR, NULL },
};

/* What the first word of a vsnd item ("card", "pcm", "stream") opened. */
enum xlcfg_vsnd_part { XLCFG_VSND_CARD, XLCFG_VSND_PCM, XLCFG_VSND_STREAM };

static const char *const xlcfg_vsnd_parts[] = { "card", "pcm", "stream" };

struct xlcfg_vsnd_walk {
    libxl_device_vsnd *v;
    int part;               /* an xlcfg_vsnd_part, or -1 before the word */
};

/*
 * The first word: a pcm or a stream is added to the card (a stream to
 * its last pcm, made if there is none).
 */
static int xlcfg_vsnd_open(struct xlcfg_st *st, struct xlcfg_vsnd_walk *w,
                           const char *word)
{
    libxl_device_vsnd *v = w->v;
    libxl_vsnd_pcm *pcm;

    for (w->part = 0; w->part < (int)XLCFG_ARRAY_SIZE(xlcfg_vsnd_parts);
         w->part++)
        if (!strcasecmp(word, xlcfg_vsnd_parts[w->part]))
            break;
    switch (w->part) {
    case XLCFG_VSND_CARD:
        return 0;
    case XLCFG_VSND_STREAM:
        if (!v->num_vsnd_pcms &&
            !XLCFG_GROW(st, v->pcms, v->num_vsnd_pcms, libxl_vsnd_pcm_init))
            return -1;
        pcm = &v->pcms[v->num_vsnd_pcms - 1];
        return XLCFG_GROW(st, pcm->streams, pcm->num_vsnd_streams,
                          libxl_vsnd_stream_init) ? 0 : -1;
    case XLCFG_VSND_PCM:
        return XLCFG_GROW(st, v->pcms, v->num_vsnd_pcms,
                          libxl_vsnd_pcm_init) ? 0 : -1;
    default:
        return xlcfg_err(st, "invalid value '%s' for 'vsnd': expected "
                         "card, pcm or stream", word);
    }
}

/* One "key=value" of the card, pcm or stream being described. */
static int xlcfg_vsnd_tok(struct xlcfg_st *st, void *walk, char *tok)
{
    struct xlcfg_vsnd_walk *w = walk;
    libxl_device_vsnd *v = w->v;
    libxl_vsnd_pcm *pcm;
    libxl_vsnd_stream *s;
    const char *o;
    int rc;

    if (w->part < 0)
        return xlcfg_vsnd_open(st, w, tok);
    pcm = v->num_vsnd_pcms ? &v->pcms[v->num_vsnd_pcms - 1] : NULL;
    switch (w->part) {
    case XLCFG_VSND_CARD:
        rc = xlcfg_vsnd_params(st, &v->params, tok);
        if (rc > 0)
            rc = XLCFG_FIELD_TOK(st, "vsnd", v, tok, xlcfg_vsnd_card_strs);
        break;
    case XLCFG_VSND_PCM:
        rc = xlcfg_vsnd_params(st, &pcm->params, tok);
        if (rc > 0)
            rc = XLCFG_FIELD_TOK(st, "vsnd", pcm, tok, xlcfg_vsnd_pcm_strs);
        break;
    default:
        s = &pcm->streams[pcm->num_vsnd_streams - 1];
        rc = xlcfg_vsnd_params(st, &s->params, tok);
        if (rc > 0)
            rc = XLCFG_FIELD_TOK(st, "vsnd", s, tok, xlcfg_vsnd_stream_strs);
        if (rc > 0 && (o = xlcfg_opt(tok, XENSND_FIELD_TYPE))) {
            rc = 0;
            if (libxl_vsnd_stream_type_from_string(o, &s->type))
                rc = xlcfg_err(st, "invalid value '%s' for 'vsnd': unknown "
                               "stream type", o);
        }
    }
    if (rc > 0)
        return xlcfg_err(st, "invalid value for 'vsnd': unknown %s "
                         "parameter '%s'", xlcfg_vsnd_parts[w->part], tok);
    return rc;
}

/* One "card, ...", "pcm, ..." or "stream, ..." string of a vsnd card. */
int xlcfg_vsnd_item(struct xlcfg_st *st, libxl_domain_config *d,
                    void *dev, const char *spec)
{
    struct xlcfg_vsnd_walk w = { dev, -1 };

    return xlcfg_tokens(st, spec, &w, xlcfg_vsnd_tok, false);
}
