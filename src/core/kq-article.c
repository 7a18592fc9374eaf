/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article"

#include "config.h"

#include <string.h>

#include "kq-article.h"
#include "kq-article-private.h"
#include "kq-model-private.h"
#include "kq-text-private.h"

#define WORDS_PER_MINUTE 200

struct _KqArticle
{
  GObject     parent_instance;

  gint64      id;
  char       *source;
  char       *title;
  char       *excerpt;
  char       *body_html;
  char       *link;
  GDateTime  *date;
  GDateTime  *modified;
  char       *author;
  GArray     *category_ids;
  char      **category_names;
  char      **tags;
  char       *thumbnail_url;
  guint       thumbnail_width;
  guint       thumbnail_height;
  char       *image_url;
  guint       image_width;
  guint       image_height;
  guint       comment_count;
  guint       reading_minutes;
  gboolean    comments_open;
  gboolean    read;
  gboolean    bookmarked;
};

G_DEFINE_FINAL_TYPE (KqArticle, kq_article, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SOURCE,
  PROP_TITLE,
  PROP_EXCERPT,
  PROP_BODY_HTML,
  PROP_LINK,
  PROP_DATE,
  PROP_MODIFIED,
  PROP_AUTHOR,
  PROP_CATEGORY_IDS,
  PROP_CATEGORY_NAMES,
  PROP_TAGS,
  PROP_THUMBNAIL_URL,
  PROP_THUMBNAIL_WIDTH,
  PROP_THUMBNAIL_HEIGHT,
  PROP_IMAGE_URL,
  PROP_IMAGE_WIDTH,
  PROP_IMAGE_HEIGHT,
  PROP_COMMENT_COUNT,
  PROP_COMMENTS_OPEN,
  PROP_READING_MINUTES,
  PROP_READ,
  PROP_BOOKMARKED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kq_article_finalize (GObject *object)
{
  KqArticle *self = (KqArticle *)object;

  g_free (self->source);
  g_free (self->title);
  g_free (self->excerpt);
  g_free (self->body_html);
  g_free (self->link);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->modified, g_date_time_unref);
  g_free (self->author);
  g_clear_pointer (&self->category_ids, g_array_unref);
  g_strfreev (self->category_names);
  g_strfreev (self->tags);
  g_free (self->thumbnail_url);
  g_free (self->image_url);

  G_OBJECT_CLASS (kq_article_parent_class)->finalize (object);
}

static void
kq_article_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KqArticle *self = KQ_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_SOURCE: g_value_set_string (value, self->source); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_EXCERPT: g_value_set_string (value, self->excerpt); break;
    case PROP_BODY_HTML: g_value_set_string (value, self->body_html); break;
    case PROP_LINK: g_value_set_string (value, self->link); break;
    case PROP_DATE: g_value_set_boxed (value, self->date); break;
    case PROP_MODIFIED: g_value_set_boxed (value, self->modified); break;
    case PROP_AUTHOR: g_value_set_string (value, self->author); break;
    case PROP_CATEGORY_IDS: g_value_set_boxed (value, self->category_ids); break;
    case PROP_CATEGORY_NAMES: g_value_set_boxed (value, self->category_names); break;
    case PROP_TAGS: g_value_set_boxed (value, self->tags); break;
    case PROP_THUMBNAIL_URL: g_value_set_string (value, self->thumbnail_url); break;
    case PROP_THUMBNAIL_WIDTH: g_value_set_uint (value, self->thumbnail_width); break;
    case PROP_THUMBNAIL_HEIGHT: g_value_set_uint (value, self->thumbnail_height); break;
    case PROP_IMAGE_URL: g_value_set_string (value, self->image_url); break;
    case PROP_IMAGE_WIDTH: g_value_set_uint (value, self->image_width); break;
    case PROP_IMAGE_HEIGHT: g_value_set_uint (value, self->image_height); break;
    case PROP_COMMENT_COUNT: g_value_set_uint (value, self->comment_count); break;
    case PROP_COMMENTS_OPEN: g_value_set_boolean (value, self->comments_open); break;
    case PROP_READING_MINUTES: g_value_set_uint (value, self->reading_minutes); break;
    case PROP_READ: g_value_set_boolean (value, self->read); break;
    case PROP_BOOKMARKED: g_value_set_boolean (value, self->bookmarked); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KqArticle *self = KQ_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_ID: kq_article_set_id (self, g_value_get_int64 (value)); break;
    case PROP_SOURCE: kq_article_set_source (self, g_value_get_string (value)); break;
    case PROP_TITLE: kq_article_set_title (self, g_value_get_string (value)); break;
    case PROP_EXCERPT: kq_article_set_excerpt (self, g_value_get_string (value)); break;
    case PROP_BODY_HTML: kq_article_set_body_html (self, g_value_get_string (value)); break;
    case PROP_LINK: kq_article_set_link (self, g_value_get_string (value)); break;
    case PROP_DATE: kq_article_set_date (self, g_value_get_boxed (value)); break;
    case PROP_MODIFIED: kq_article_set_modified (self, g_value_get_boxed (value)); break;
    case PROP_AUTHOR: kq_article_set_author (self, g_value_get_string (value)); break;
    case PROP_CATEGORY_IDS:
      {
        GArray *ids = g_value_get_boxed (value);
        kq_article_set_category_ids (self,
                                     ids ? (const gint64 *) (gpointer) ids->data : NULL,
                                     ids ? ids->len : 0);
      }
      break;
    case PROP_CATEGORY_NAMES:
      kq_article_set_category_names (self, g_value_get_boxed (value));
      break;
    case PROP_TAGS: kq_article_set_tags (self, g_value_get_boxed (value)); break;
    case PROP_THUMBNAIL_URL:
      _kq_model_set_string (object, &self->thumbnail_url, g_value_get_string (value), pspec);
      break;
    case PROP_THUMBNAIL_WIDTH:
      _kq_model_set_uint (object, &self->thumbnail_width, g_value_get_uint (value), pspec);
      break;
    case PROP_THUMBNAIL_HEIGHT:
      _kq_model_set_uint (object, &self->thumbnail_height, g_value_get_uint (value), pspec);
      break;
    case PROP_IMAGE_URL:
      _kq_model_set_string (object, &self->image_url, g_value_get_string (value), pspec);
      break;
    case PROP_IMAGE_WIDTH:
      _kq_model_set_uint (object, &self->image_width, g_value_get_uint (value), pspec);
      break;
    case PROP_IMAGE_HEIGHT:
      _kq_model_set_uint (object, &self->image_height, g_value_get_uint (value), pspec);
      break;
    case PROP_COMMENT_COUNT: kq_article_set_comment_count (self, g_value_get_uint (value)); break;
    case PROP_COMMENTS_OPEN: kq_article_set_comments_open (self, g_value_get_boolean (value)); break;
    case PROP_READING_MINUTES:
      kq_article_set_reading_minutes (self, g_value_get_uint (value));
      break;
    case PROP_READ: kq_article_set_read (self, g_value_get_boolean (value)); break;
    case PROP_BOOKMARKED: kq_article_set_bookmarked (self, g_value_get_boolean (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_class_init (KqArticleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kq_article_finalize;
  object_class->get_property = kq_article_get_property;
  object_class->set_property = kq_article_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, NULL, flags);
  properties [PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties [PROP_EXCERPT] = g_param_spec_string ("excerpt", NULL, NULL, NULL, flags);
  properties [PROP_BODY_HTML] = g_param_spec_string ("body-html", NULL, NULL, NULL, flags);
  properties [PROP_LINK] = g_param_spec_string ("link", NULL, NULL, NULL, flags);
  properties [PROP_DATE] =
    g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties [PROP_MODIFIED] =
    g_param_spec_boxed ("modified", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties [PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  properties [PROP_CATEGORY_IDS] =
    g_param_spec_boxed ("category-ids", NULL, NULL, G_TYPE_ARRAY, flags);
  properties [PROP_CATEGORY_NAMES] =
    g_param_spec_boxed ("category-names", NULL, NULL, G_TYPE_STRV, flags);
  properties [PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, flags);
  properties [PROP_THUMBNAIL_URL] =
    g_param_spec_string ("thumbnail-url", NULL, NULL, NULL, flags);
  properties [PROP_THUMBNAIL_WIDTH] =
    g_param_spec_uint ("thumbnail-width", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_THUMBNAIL_HEIGHT] =
    g_param_spec_uint ("thumbnail-height", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_IMAGE_URL] = g_param_spec_string ("image-url", NULL, NULL, NULL, flags);
  properties [PROP_IMAGE_WIDTH] =
    g_param_spec_uint ("image-width", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_IMAGE_HEIGHT] =
    g_param_spec_uint ("image-height", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_COMMENT_COUNT] =
    g_param_spec_uint ("comment-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_COMMENTS_OPEN] =
    g_param_spec_boolean ("comments-open", NULL, NULL, FALSE, flags);
  properties [PROP_READING_MINUTES] =
    g_param_spec_uint ("reading-minutes", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_READ] = g_param_spec_boolean ("read", NULL, NULL, FALSE, flags);
  properties [PROP_BOOKMARKED] = g_param_spec_boolean ("bookmarked", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kq_article_init (KqArticle *self)
{
  self->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

KqArticle *
kq_article_new (void)
{
  return g_object_new (KQ_TYPE_ARTICLE, NULL);
}

/**
 * kq_article_copy:
 *
 * Returns a new article with every field of @self (reader state included).
 */
KqArticle *
kq_article_copy (KqArticle *self)
{
  KqArticle *copy;

  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);

  copy = kq_article_new ();
  copy->id = self->id;
  copy->source = g_strdup (self->source);
  copy->title = g_strdup (self->title);
  copy->excerpt = g_strdup (self->excerpt);
  copy->body_html = g_strdup (self->body_html);
  copy->link = g_strdup (self->link);
  copy->date = self->date ? g_date_time_ref (self->date) : NULL;
  copy->modified = self->modified ? g_date_time_ref (self->modified) : NULL;
  copy->author = g_strdup (self->author);
  g_array_append_vals (copy->category_ids, self->category_ids->data, self->category_ids->len);
  copy->category_names = g_strdupv (self->category_names);
  copy->tags = g_strdupv (self->tags);
  copy->thumbnail_url = g_strdup (self->thumbnail_url);
  copy->thumbnail_width = self->thumbnail_width;
  copy->thumbnail_height = self->thumbnail_height;
  copy->image_url = g_strdup (self->image_url);
  copy->image_width = self->image_width;
  copy->image_height = self->image_height;
  copy->comment_count = self->comment_count;
  copy->comments_open = self->comments_open;
  copy->reading_minutes = self->reading_minutes;
  copy->read = self->read;
  copy->bookmarked = self->bookmarked;

  return copy;
}

gint64
kq_article_get_id (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), 0);
  return self->id;
}

void
kq_article_set_id (KqArticle *self,
                   gint64     id)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_int64 (G_OBJECT (self), &self->id, id, properties [PROP_ID]);
}

const char *
kq_article_get_source (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->source;
}

void
kq_article_set_source (KqArticle  *self,
                       const char *source)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_string (G_OBJECT (self), &self->source, source, properties [PROP_SOURCE]);
}

const char *
kq_article_get_title (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->title;
}

void
kq_article_set_title (KqArticle  *self,
                      const char *title)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_string (G_OBJECT (self), &self->title, title, properties [PROP_TITLE]);
}

const char *
kq_article_get_excerpt (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->excerpt;
}

void
kq_article_set_excerpt (KqArticle  *self,
                        const char *excerpt)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_string (G_OBJECT (self), &self->excerpt, excerpt, properties [PROP_EXCERPT]);
}

const char *
kq_article_get_body_html (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->body_html;
}

/**
 * kq_article_set_body_html:
 *
 * Sets the body and recomputes "reading-minutes" from it (0 when there is
 * no body, at least 1 otherwise).
 */
void
kq_article_set_body_html (KqArticle  *self,
                          const char *body_html)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_article_take_body_html (self, g_strdup (body_html));
}

void
_kq_article_take_body_html (KqArticle *self,
                            char      *body_html)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));

  if (!_kq_model_take_string (G_OBJECT (self), &self->body_html, body_html,
                              properties [PROP_BODY_HTML]))
    return;

  kq_article_set_reading_minutes (self,
                                  self->body_html && *self->body_html
                                  ? kq_article_estimate_reading_minutes (self->body_html)
                                  : 0);
}

void
_kq_article_take_excerpt (KqArticle *self,
                          char      *excerpt)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_take_string (G_OBJECT (self), &self->excerpt, excerpt, properties [PROP_EXCERPT]);
}

const char *
kq_article_get_link (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->link;
}

void
kq_article_set_link (KqArticle  *self,
                     const char *link)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_string (G_OBJECT (self), &self->link, link, properties [PROP_LINK]);
}

GDateTime *
kq_article_get_date (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->date;
}

/* Stored in UTC whatever the zone of @date. */
void
kq_article_set_date (KqArticle *self,
                     GDateTime *date)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_date (G_OBJECT (self), &self->date, date, properties [PROP_DATE]);
}

GDateTime *
kq_article_get_modified (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->modified;
}

void
kq_article_set_modified (KqArticle *self,
                         GDateTime *modified)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_date (G_OBJECT (self), &self->modified, modified, properties [PROP_MODIFIED]);
}

const char *
kq_article_get_author (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->author;
}

void
kq_article_set_author (KqArticle  *self,
                       const char *author)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_string (G_OBJECT (self), &self->author, author, properties [PROP_AUTHOR]);
}

GArray *
kq_article_get_category_ids (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->category_ids;
}

void
kq_article_set_category_ids (KqArticle    *self,
                             const gint64 *ids,
                             guint         n_ids)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  if (self->category_ids->len == n_ids &&
      (n_ids == 0 || memcmp (self->category_ids->data, ids, n_ids * sizeof (gint64)) == 0))
    return;

  g_array_set_size (self->category_ids, 0);
  if (n_ids > 0)
    g_array_append_vals (self->category_ids, ids, n_ids);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CATEGORY_IDS]);
}

gboolean
kq_article_has_category (KqArticle *self,
                         gint64     category_id)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), FALSE);

  for (guint i = 0; i < self->category_ids->len; i++)
    if (g_array_index (self->category_ids, gint64, i) == category_id)
      return TRUE;
  return FALSE;
}

const char * const *
kq_article_get_category_names (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return (const char * const *) self->category_names;
}

void
kq_article_set_category_names (KqArticle          *self,
                               const char * const *names)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_strv (G_OBJECT (self), &self->category_names, names,
                      properties [PROP_CATEGORY_NAMES]);
}

const char * const *
kq_article_get_tags (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return (const char * const *) self->tags;
}

void
kq_article_set_tags (KqArticle          *self,
                     const char * const *tags)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_strv (G_OBJECT (self), &self->tags, tags, properties [PROP_TAGS]);
}

const char *
kq_article_get_thumbnail_url (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->thumbnail_url;
}

guint
kq_article_get_thumbnail_width (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), 0);
  return self->thumbnail_width;
}

guint
kq_article_get_thumbnail_height (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), 0);
  return self->thumbnail_height;
}

/* @width and @height are 0 when unknown. */
void
kq_article_set_thumbnail (KqArticle  *self,
                          const char *url,
                          guint       width,
                          guint       height)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));

  g_object_freeze_notify (G_OBJECT (self));
  _kq_model_set_string (G_OBJECT (self), &self->thumbnail_url, url,
                        properties [PROP_THUMBNAIL_URL]);
  _kq_model_set_uint (G_OBJECT (self), &self->thumbnail_width, width,
                      properties [PROP_THUMBNAIL_WIDTH]);
  _kq_model_set_uint (G_OBJECT (self), &self->thumbnail_height, height,
                      properties [PROP_THUMBNAIL_HEIGHT]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
kq_article_get_image_url (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), NULL);
  return self->image_url;
}

guint
kq_article_get_image_width (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), 0);
  return self->image_width;
}

guint
kq_article_get_image_height (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), 0);
  return self->image_height;
}

void
kq_article_set_image (KqArticle  *self,
                      const char *url,
                      guint       width,
                      guint       height)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));

  g_object_freeze_notify (G_OBJECT (self));
  _kq_model_set_string (G_OBJECT (self), &self->image_url, url, properties [PROP_IMAGE_URL]);
  _kq_model_set_uint (G_OBJECT (self), &self->image_width, width, properties [PROP_IMAGE_WIDTH]);
  _kq_model_set_uint (G_OBJECT (self), &self->image_height, height, properties [PROP_IMAGE_HEIGHT]);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
kq_article_get_comment_count (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), 0);
  return self->comment_count;
}

void
kq_article_set_comment_count (KqArticle *self,
                              guint      count)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_uint (G_OBJECT (self), &self->comment_count, count,
                      properties [PROP_COMMENT_COUNT]);
}

gboolean
kq_article_get_comments_open (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), FALSE);
  return self->comments_open;
}

void
kq_article_set_comments_open (KqArticle *self,
                              gboolean   open)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_boolean (G_OBJECT (self), &self->comments_open, open,
                         properties [PROP_COMMENTS_OPEN]);
}

guint
kq_article_get_reading_minutes (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), 0);
  return self->reading_minutes;
}

void
kq_article_set_reading_minutes (KqArticle *self,
                                guint      minutes)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_uint (G_OBJECT (self), &self->reading_minutes, minutes,
                      properties [PROP_READING_MINUTES]);
}

gboolean
kq_article_get_read (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), FALSE);
  return self->read;
}

void
kq_article_set_read (KqArticle *self,
                     gboolean   read)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_boolean (G_OBJECT (self), &self->read, read, properties [PROP_READ]);
}

gboolean
kq_article_get_bookmarked (KqArticle *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (self), FALSE);
  return self->bookmarked;
}

void
kq_article_set_bookmarked (KqArticle *self,
                           gboolean   bookmarked)
{
  g_return_if_fail (KQ_IS_ARTICLE (self));
  _kq_model_set_boolean (G_OBJECT (self), &self->bookmarked, bookmarked,
                         properties [PROP_BOOKMARKED]);
}

/**
 * kq_article_estimate_reading_minutes:
 * @body_html: (nullable): an HTML fragment
 *
 * Words of the body's plain text (tags, scripts and styles removed) at 200
 * words a minute, rounded up, at least 1: what WordPress's reading-time
 * plugins say, so that Kiosque says what the site says.
 */
guint
kq_article_estimate_reading_minutes (const char *body_html)
{
  guint words = _kq_text_count_words (body_html);
  guint minutes = (words + WORDS_PER_MINUTE - 1) / WORDS_PER_MINUTE;

  return MAX (minutes, 1);
}
