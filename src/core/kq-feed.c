/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-feed"

#include "config.h"

#include "kq-feed.h"
#include "kq-model-private.h"

struct _KqFeed
{
  GObject    parent_instance;

  char      *title;
  char      *link;
  char      *description;
  char      *kind;
  GPtrArray *items;
};

G_DEFINE_FINAL_TYPE (KqFeed, kq_feed, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_LINK,
  PROP_DESCRIPTION,
  PROP_KIND,
  PROP_ITEMS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kq_feed_finalize (GObject *object)
{
  KqFeed *self = (KqFeed *)object;

  g_free (self->title);
  g_free (self->link);
  g_free (self->description);
  g_free (self->kind);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (kq_feed_parent_class)->finalize (object);
}

static void
kq_feed_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  KqFeed *self = KQ_FEED (object);

  switch (prop_id)
    {
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_LINK: g_value_set_string (value, self->link); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_ITEMS: g_value_set_boxed (value, self->items); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_feed_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  KqFeed *self = KQ_FEED (object);

  switch (prop_id)
    {
    case PROP_TITLE: kq_feed_set_title (self, g_value_get_string (value)); break;
    case PROP_LINK: kq_feed_set_link (self, g_value_get_string (value)); break;
    case PROP_DESCRIPTION: kq_feed_set_description (self, g_value_get_string (value)); break;
    case PROP_KIND: kq_feed_set_kind (self, g_value_get_string (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_feed_class_init (KqFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kq_feed_finalize;
  object_class->get_property = kq_feed_get_property;
  object_class->set_property = kq_feed_set_property;

  properties [PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties [PROP_LINK] = g_param_spec_string ("link", NULL, NULL, NULL, flags);
  properties [PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties [PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties [PROP_ITEMS] =
    g_param_spec_boxed ("items", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kq_feed_init (KqFeed *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

KqFeed *
kq_feed_new (void)
{
  return g_object_new (KQ_TYPE_FEED, NULL);
}

const char *
kq_feed_get_title (KqFeed *self)
{
  g_return_val_if_fail (KQ_IS_FEED (self), NULL);
  return self->title;
}

void
kq_feed_set_title (KqFeed     *self,
                   const char *title)
{
  g_return_if_fail (KQ_IS_FEED (self));
  _kq_model_set_string (G_OBJECT (self), &self->title, title, properties [PROP_TITLE]);
}

const char *
kq_feed_get_link (KqFeed *self)
{
  g_return_val_if_fail (KQ_IS_FEED (self), NULL);
  return self->link;
}

void
kq_feed_set_link (KqFeed     *self,
                  const char *link)
{
  g_return_if_fail (KQ_IS_FEED (self));
  _kq_model_set_string (G_OBJECT (self), &self->link, link, properties [PROP_LINK]);
}

const char *
kq_feed_get_description (KqFeed *self)
{
  g_return_val_if_fail (KQ_IS_FEED (self), NULL);
  return self->description;
}

void
kq_feed_set_description (KqFeed     *self,
                         const char *description)
{
  g_return_if_fail (KQ_IS_FEED (self));
  _kq_model_set_string (G_OBJECT (self), &self->description, description,
                        properties [PROP_DESCRIPTION]);
}

const char *
kq_feed_get_kind (KqFeed *self)
{
  g_return_val_if_fail (KQ_IS_FEED (self), NULL);
  return self->kind;
}

void
kq_feed_set_kind (KqFeed     *self,
                  const char *kind)
{
  g_return_if_fail (KQ_IS_FEED (self));
  _kq_model_set_string (G_OBJECT (self), &self->kind, kind, properties [PROP_KIND]);
}

GPtrArray *
kq_feed_get_items (KqFeed *self)
{
  g_return_val_if_fail (KQ_IS_FEED (self), NULL);
  return self->items;
}

void
kq_feed_add_item (KqFeed    *self,
                  KqArticle *item)
{
  g_return_if_fail (KQ_IS_FEED (self));
  g_return_if_fail (KQ_IS_ARTICLE (item));

  g_ptr_array_add (self->items, g_object_ref (item));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEMS]);
}
