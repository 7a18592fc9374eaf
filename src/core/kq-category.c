/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-category"

#include "config.h"

#include "kq-category.h"
#include "kq-model-private.h"

struct _KqCategory
{
  GObject  parent_instance;

  gint64   id;
  char    *source;
  char    *name;
  char    *slug;
  guint    count;
  gint64   parent;
  char    *link;
  guint    position;
  guint    unread_count;
};

G_DEFINE_FINAL_TYPE (KqCategory, kq_category, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SOURCE,
  PROP_NAME,
  PROP_SLUG,
  PROP_COUNT,
  PROP_PARENT,
  PROP_LINK,
  PROP_POSITION,
  PROP_UNREAD_COUNT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kq_category_finalize (GObject *object)
{
  KqCategory *self = (KqCategory *)object;

  g_free (self->source);
  g_free (self->name);
  g_free (self->slug);
  g_free (self->link);

  G_OBJECT_CLASS (kq_category_parent_class)->finalize (object);
}

static void
kq_category_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KqCategory *self = KQ_CATEGORY (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_SOURCE: g_value_set_string (value, self->source); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_SLUG: g_value_set_string (value, self->slug); break;
    case PROP_COUNT: g_value_set_uint (value, self->count); break;
    case PROP_PARENT: g_value_set_int64 (value, self->parent); break;
    case PROP_LINK: g_value_set_string (value, self->link); break;
    case PROP_POSITION: g_value_set_uint (value, self->position); break;
    case PROP_UNREAD_COUNT: g_value_set_uint (value, self->unread_count); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_category_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KqCategory *self = KQ_CATEGORY (object);

  switch (prop_id)
    {
    case PROP_ID: kq_category_set_id (self, g_value_get_int64 (value)); break;
    case PROP_SOURCE: kq_category_set_source (self, g_value_get_string (value)); break;
    case PROP_NAME: kq_category_set_name (self, g_value_get_string (value)); break;
    case PROP_SLUG: kq_category_set_slug (self, g_value_get_string (value)); break;
    case PROP_COUNT: kq_category_set_count (self, g_value_get_uint (value)); break;
    case PROP_PARENT: kq_category_set_parent (self, g_value_get_int64 (value)); break;
    case PROP_LINK: kq_category_set_link (self, g_value_get_string (value)); break;
    case PROP_POSITION: kq_category_set_position (self, g_value_get_uint (value)); break;
    case PROP_UNREAD_COUNT: kq_category_set_unread_count (self, g_value_get_uint (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_category_class_init (KqCategoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kq_category_finalize;
  object_class->get_property = kq_category_get_property;
  object_class->set_property = kq_category_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, NULL, flags);
  properties [PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties [PROP_SLUG] = g_param_spec_string ("slug", NULL, NULL, NULL, flags);
  properties [PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_PARENT] =
    g_param_spec_int64 ("parent", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_LINK] = g_param_spec_string ("link", NULL, NULL, NULL, flags);
  properties [PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kq_category_init (KqCategory *self)
{
}

KqCategory *
kq_category_new (void)
{
  return g_object_new (KQ_TYPE_CATEGORY, NULL);
}

gint64
kq_category_get_id (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), 0);
  return self->id;
}

void
kq_category_set_id (KqCategory *self,
                    gint64      id)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_int64 (G_OBJECT (self), &self->id, id, properties [PROP_ID]);
}

const char *
kq_category_get_source (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), NULL);
  return self->source;
}

void
kq_category_set_source (KqCategory *self,
                        const char *source)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_string (G_OBJECT (self), &self->source, source, properties [PROP_SOURCE]);
}

const char *
kq_category_get_name (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), NULL);
  return self->name;
}

void
kq_category_set_name (KqCategory *self,
                      const char *name)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_string (G_OBJECT (self), &self->name, name, properties [PROP_NAME]);
}

const char *
kq_category_get_slug (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), NULL);
  return self->slug;
}

void
kq_category_set_slug (KqCategory *self,
                      const char *slug)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_string (G_OBJECT (self), &self->slug, slug, properties [PROP_SLUG]);
}

guint
kq_category_get_count (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), 0);
  return self->count;
}

void
kq_category_set_count (KqCategory *self,
                       guint       count)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_uint (G_OBJECT (self), &self->count, count, properties [PROP_COUNT]);
}

gint64
kq_category_get_parent (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), 0);
  return self->parent;
}

void
kq_category_set_parent (KqCategory *self,
                        gint64      parent)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_int64 (G_OBJECT (self), &self->parent, parent, properties [PROP_PARENT]);
}

const char *
kq_category_get_link (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), NULL);
  return self->link;
}

void
kq_category_set_link (KqCategory *self,
                      const char *link)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_string (G_OBJECT (self), &self->link, link, properties [PROP_LINK]);
}

guint
kq_category_get_position (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), 0);
  return self->position;
}

void
kq_category_set_position (KqCategory *self,
                          guint       position)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_uint (G_OBJECT (self), &self->position, position, properties [PROP_POSITION]);
}

guint
kq_category_get_unread_count (KqCategory *self)
{
  g_return_val_if_fail (KQ_IS_CATEGORY (self), 0);
  return self->unread_count;
}

void
kq_category_set_unread_count (KqCategory *self,
                              guint       unread_count)
{
  g_return_if_fail (KQ_IS_CATEGORY (self));
  _kq_model_set_uint (G_OBJECT (self), &self->unread_count, unread_count,
                      properties [PROP_UNREAD_COUNT]);
}
