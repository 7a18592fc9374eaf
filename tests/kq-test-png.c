/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "kq-test-png.h"

static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static guint32
crc32_png (const guint8 *data,
           gsize         len)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }

  return crc ^ 0xffffffff;
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, be, 4);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              guint32       len)
{
  g_autoptr(GByteArray) crc_input = g_byte_array_new ();

  append_be32 (png, len);
  g_byte_array_append (crc_input, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (crc_input, data, len);
  g_byte_array_append (png, crc_input->data, crc_input->len);
  append_be32 (png, crc32_png (crc_input->data, crc_input->len));
}

static GBytes *
make_png (guint32       width,
          guint32       height,
          guint8        bit_depth,
          guint8        colour_type,
          const guint8 *idat,
          gsize         idat_len)
{
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[13] = {
    width >> 24, width >> 16, width >> 8, width,
    height >> 24, height >> 16, height >> 8, height,
    bit_depth, colour_type,
    0, 0, 0,   /* deflate, adaptive filtering, not interlaced */
  };

  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_chunk (png, "IDAT", idat, idat_len);
  append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (png);
}

GBytes *
kq_test_png_new_empty (guint32 width,
                       guint32 height)
{
  /* zlib stream of one empty stored block: far too little data, on purpose. */
  static const guint8 idat[] = { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };

  return make_png (width, height, 8, 6, idat, sizeof idat);
}

GBytes *
kq_test_png_new_blank (guint32 width,
                       guint32 height)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) deflate = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  /* One filter byte (none) and width bits, all zero, per row. */
  gsize row_len = 1 + (width + 7) / 8;
  g_autofree guint8 *row = g_malloc0 (row_len);
  g_autoptr(GBytes) idat = NULL;

  for (guint32 y = 0; y < height; y++)
    g_assert_true (g_output_stream_write_all (deflate, row, row_len, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (deflate, NULL, NULL));
  idat = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));

  return make_png (width, height, 1, 0, g_bytes_get_data (idat, NULL), g_bytes_get_size (idat));
}
