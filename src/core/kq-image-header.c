/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-image-loader"

#include "config.h"

#include <string.h>

#include "kq-image-loader-private.h"

/*
 * The size an image declares, from its first bytes, so that a decompression
 * bomb is refused before a decoder is even created and a decode's memory is
 * known before it starts. Only reads: any byte sequence is safe.
 */

static guint32
be16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static guint32
le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
le24 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16);
}

static guint32
le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static gboolean
read_png (const guint8 *data,
          gsize         len,
          guint32      *width,
          guint32      *height)
{
  if (len < 24 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;

  *width = be32 (data + 16);
  *height = be32 (data + 20);
  return TRUE;
}

/* Walks the marker segments up to the first frame header (SOFn). */
static gboolean
read_jpeg (const guint8 *data,
           gsize         len,
           guint32      *width,
           guint32      *height)
{
  gsize pos = 2;

  while (pos + 4 <= len)
    {
      guint8 marker;

      if (data[pos] != 0xff)
        return FALSE;
      marker = data[pos + 1];
      if (marker == 0xff)
        {
          pos++;   /* fill byte */
          continue;
        }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8))
        {
          pos += 2;   /* no length */
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)
        return FALSE;   /* end of image, or scan data: no frame header before */

      /* SOF0 to SOF15, but DHT, JPG and DAC share the range. */
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (pos + 9 > len)
            return FALSE;
          *height = be16 (data + pos + 5);
          *width = be16 (data + pos + 7);
          return TRUE;
        }

      pos += 2 + be16 (data + pos + 2);
    }

  return FALSE;
}

static gboolean
read_webp (const guint8 *data,
           gsize         len,
           guint32      *width,
           guint32      *height)
{
  if (len < 30)
    return FALSE;

  if (memcmp (data + 12, "VP8X", 4) == 0)
    {
      *width = le24 (data + 24) + 1;
      *height = le24 (data + 27) + 1;
      return TRUE;
    }
  if (memcmp (data + 12, "VP8L", 4) == 0 && data[20] == 0x2f)
    {
      guint32 bits = le32 (data + 21);

      *width = (bits & 0x3fff) + 1;
      *height = ((bits >> 14) & 0x3fff) + 1;
      return TRUE;
    }
  if (memcmp (data + 12, "VP8 ", 4) == 0 &&
      data[23] == 0x9d && data[24] == 0x01 && data[25] == 0x2a)
    {
      *width = le16 (data + 26) & 0x3fff;
      *height = le16 (data + 28) & 0x3fff;
      return TRUE;
    }

  return FALSE;
}

static gboolean
read_bmp (const guint8 *data,
          gsize         len,
          guint32      *width,
          guint32      *height)
{
  gint32 h;

  if (len < 26)
    return FALSE;

  if (le32 (data + 14) == 12)
    {
      /* OS/2 BITMAPCOREHEADER: 16-bit sizes. */
      *width = le16 (data + 18);
      *height = le16 (data + 20);
      return TRUE;
    }

  /* Negative height: top-down rows. */
  h = (gint32) le32 (data + 22);
  *width = le32 (data + 18);
  *height = h == G_MININT32 ? G_MAXUINT32 : (guint32) ABS (h);
  return TRUE;
}

gboolean
_kq_image_header_read_size (const guint8 *data,
                            gsize         len,
                            guint32      *width,
                            guint32      *height)
{
  guint32 w = 0, h = 0;
  gboolean known = FALSE;

  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  if (data == NULL)
    known = FALSE;
  else if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    known = read_png (data, len, &w, &h);
  else if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    known = read_jpeg (data, len, &w, &h);
  else if (len >= 10 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    {
      w = le16 (data + 6);
      h = le16 (data + 8);
      known = TRUE;
    }
  else if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    known = read_webp (data, len, &w, &h);
  else if (len >= 14 && data[0] == 'B' && data[1] == 'M')
    known = read_bmp (data, len, &w, &h);

  if (!known || w == 0 || h == 0)
    return FALSE;

  *width = w;
  *height = h;
  return TRUE;
}
