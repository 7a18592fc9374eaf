/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-comment"

#include "config.h"

#include "kq-comment.h"
#include "kq-model-private.h"

struct _KqComment
{
  GObject    parent_instance;

  gint64     id;
  gint64     post_id;
  gint64     parent;
  char      *author;
  GDateTime *date;
  char      *content_html;
  guint      depth;
  char      *link;
  KqHtmlDocument *document;
};

G_DEFINE_FINAL_TYPE (KqComment, kq_comment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_POST_ID,
  PROP_PARENT,
  PROP_AUTHOR,
  PROP_DATE,
  PROP_CONTENT_HTML,
  PROP_DEPTH,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Oldest first; comments without a date first; then by id. */
static int
compare_comments (gconstpointer a,
                  gconstpointer b)
{
  KqComment *ca = *(KqComment **) a;
  KqComment *cb = *(KqComment **) b;

  if (ca->date != NULL && cb->date != NULL)
    {
      int cmp = g_date_time_compare (ca->date, cb->date);
      if (cmp != 0)
        return cmp;
    }
  else if (ca->date != cb->date)
    return ca->date == NULL ? -1 : 1;

  return (ca->id > cb->id) - (ca->id < cb->id);
}

static void
kq_comment_finalize (GObject *object)
{
  KqComment *self = (KqComment *)object;

  g_free (self->author);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->content_html);
  g_free (self->link);
  g_clear_pointer (&self->document, kq_html_document_unref);

  G_OBJECT_CLASS (kq_comment_parent_class)->finalize (object);
}

static void
kq_comment_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KqComment *self = KQ_COMMENT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_POST_ID: g_value_set_int64 (value, self->post_id); break;
    case PROP_PARENT: g_value_set_int64 (value, self->parent); break;
    case PROP_AUTHOR: g_value_set_string (value, self->author); break;
    case PROP_DATE: g_value_set_boxed (value, self->date); break;
    case PROP_CONTENT_HTML: g_value_set_string (value, self->content_html); break;
    case PROP_DEPTH: g_value_set_uint (value, self->depth); break;
    case PROP_LINK: g_value_set_string (value, self->link); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_comment_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KqComment *self = KQ_COMMENT (object);

  switch (prop_id)
    {
    case PROP_ID: kq_comment_set_id (self, g_value_get_int64 (value)); break;
    case PROP_POST_ID: kq_comment_set_post_id (self, g_value_get_int64 (value)); break;
    case PROP_PARENT: kq_comment_set_parent (self, g_value_get_int64 (value)); break;
    case PROP_AUTHOR: kq_comment_set_author (self, g_value_get_string (value)); break;
    case PROP_DATE: kq_comment_set_date (self, g_value_get_boxed (value)); break;
    case PROP_CONTENT_HTML: kq_comment_set_content_html (self, g_value_get_string (value)); break;
    case PROP_DEPTH: kq_comment_set_depth (self, g_value_get_uint (value)); break;
    case PROP_LINK: kq_comment_set_link (self, g_value_get_string (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_comment_class_init (KqCommentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kq_comment_finalize;
  object_class->get_property = kq_comment_get_property;
  object_class->set_property = kq_comment_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_POST_ID] =
    g_param_spec_int64 ("post-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_PARENT] =
    g_param_spec_int64 ("parent", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  properties [PROP_DATE] = g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties [PROP_CONTENT_HTML] =
    g_param_spec_string ("content-html", NULL, NULL, NULL, flags);
  properties [PROP_DEPTH] = g_param_spec_uint ("depth", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_LINK] = g_param_spec_string ("link", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kq_comment_init (KqComment *self)
{
}

KqComment *
kq_comment_new (void)
{
  return g_object_new (KQ_TYPE_COMMENT, NULL);
}

gint64
kq_comment_get_id (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), 0);
  return self->id;
}

void
kq_comment_set_id (KqComment *self,
                   gint64     id)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_int64 (G_OBJECT (self), &self->id, id, properties [PROP_ID]);
}

gint64
kq_comment_get_post_id (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), 0);
  return self->post_id;
}

void
kq_comment_set_post_id (KqComment *self,
                        gint64     post_id)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_int64 (G_OBJECT (self), &self->post_id, post_id, properties [PROP_POST_ID]);
}

gint64
kq_comment_get_parent (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), 0);
  return self->parent;
}

void
kq_comment_set_parent (KqComment *self,
                       gint64     parent)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_int64 (G_OBJECT (self), &self->parent, parent, properties [PROP_PARENT]);
}

const char *
kq_comment_get_author (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), NULL);
  return self->author;
}

void
kq_comment_set_author (KqComment  *self,
                       const char *author)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_string (G_OBJECT (self), &self->author, author, properties [PROP_AUTHOR]);
}

GDateTime *
kq_comment_get_date (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), NULL);
  return self->date;
}

/* Stored in UTC whatever the zone of @date. */
void
kq_comment_set_date (KqComment *self,
                     GDateTime *date)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_date (G_OBJECT (self), &self->date, date, properties [PROP_DATE]);
}

const char *
kq_comment_get_content_html (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), NULL);
  return self->content_html;
}

void
kq_comment_set_content_html (KqComment  *self,
                             const char *content_html)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_string (G_OBJECT (self), &self->content_html, content_html,
                        properties [PROP_CONTENT_HTML]);
}

guint
kq_comment_get_depth (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), 0);
  return self->depth;
}

void
kq_comment_set_depth (KqComment *self,
                      guint      depth)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_uint (G_OBJECT (self), &self->depth, depth, properties [PROP_DEPTH]);
}

const char *
kq_comment_get_link (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), NULL);
  return self->link;
}

void
kq_comment_set_link (KqComment  *self,
                     const char *link)
{
  g_return_if_fail (KQ_IS_COMMENT (self));
  _kq_model_set_string (G_OBJECT (self), &self->link, link, properties [PROP_LINK]);
}

typedef struct
{
  KqComment *comment;
  guint      depth;
} Frame;

/* Pushes @siblings (sorted) onto @stack so that the oldest pops first. */
static void
push_siblings (GArray    *stack,
               GPtrArray *siblings,
               guint      depth)
{
  g_ptr_array_sort (siblings, compare_comments);
  for (guint i = siblings->len; i > 0; i--)
    {
      Frame frame = { g_ptr_array_index (siblings, i - 1), depth };
      g_array_append_val (stack, frame);
    }
}

/* Depth-first walk without recursion (threads can be hostile and deep).
 * With @result NULL, only marks what is reachable. */
static void
walk (GPtrArray  *result,
      GHashTable *visited,
      GHashTable *children,
      GPtrArray  *roots)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (Frame));

  push_siblings (stack, roots, 0);
  while (stack->len > 0)
    {
      Frame frame = g_array_index (stack, Frame, stack->len - 1);
      GPtrArray *kids;

      g_array_set_size (stack, stack->len - 1);
      if (g_hash_table_contains (visited, frame.comment))
        continue;
      g_hash_table_add (visited, frame.comment);
      if (result != NULL)
        {
          kq_comment_set_depth (frame.comment, frame.depth);
          g_ptr_array_add (result, g_object_ref (frame.comment));
        }

      kids = g_hash_table_lookup (children, frame.comment);
      if (kids != NULL)
        push_siblings (stack, kids, frame.depth + 1);
    }
}

/**
 * kq_comment_get_document:
 *
 * Returns: (transfer none) (nullable): the content as blocks, once parsed
 */
KqHtmlDocument *
kq_comment_get_document (KqComment *self)
{
  g_return_val_if_fail (KQ_IS_COMMENT (self), NULL);

  return self->document;
}

void
kq_comment_set_document (KqComment      *self,
                         KqHtmlDocument *document)
{
  g_return_if_fail (KQ_IS_COMMENT (self));

  if (document != NULL)
    kq_html_document_ref (document);
  g_clear_pointer (&self->document, kq_html_document_unref);
  self->document = document;
}

/**
 * kq_comment_thread:
 * @comments: (element-type KqComment): comments of one post, any order
 *
 * Orders @comments into threads: each reply right after its parent's
 * subtree position (depth-first), siblings oldest first, "depth" set.
 * Replies whose parent is missing (or that form a cycle) become top-level.
 *
 * Returns: (transfer full) (element-type KqComment): a new array.
 */
GPtrArray *
kq_comment_thread (GPtrArray *comments)
{
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GHashTable) children = NULL;
  g_autoptr(GHashTable) visited = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  GPtrArray *result;

  g_return_val_if_fail (comments != NULL, NULL);

  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  visited = g_hash_table_new (NULL, NULL);
  roots = g_ptr_array_new ();
  result = g_ptr_array_new_full (comments->len, g_object_unref);

  /* The first comment with a given id is the one replies attach to. */
  for (guint i = 0; i < comments->len; i++)
    {
      KqComment *comment = g_ptr_array_index (comments, i);

      g_return_val_if_fail (KQ_IS_COMMENT (comment), result);
      if (!g_hash_table_contains (by_id, &comment->id))
        g_hash_table_insert (by_id, &comment->id, comment);
    }

  for (guint i = 0; i < comments->len; i++)
    {
      KqComment *comment = g_ptr_array_index (comments, i);
      KqComment *parent = NULL;

      if (comment->parent != 0 && comment->parent != comment->id)
        parent = g_hash_table_lookup (by_id, &comment->parent);

      if (parent == NULL || parent == comment)
        g_ptr_array_add (roots, comment);
      else
        {
          GPtrArray *kids = g_hash_table_lookup (children, parent);

          if (kids == NULL)
            {
              kids = g_ptr_array_new ();
              g_hash_table_insert (children, parent, kids);
            }
          g_ptr_array_add (kids, comment);
        }
    }

  /* Comments not reachable from a top-level one sit in a cycle: break
   * each cycle at its oldest comment, which becomes top-level. */
  walk (NULL, visited, children, roots);
  while (g_hash_table_size (visited) < comments->len)
    {
      KqComment *start = NULL;
      KqComment *oldest;
      KqComment *node;
      g_autoptr(GHashTable) path = g_hash_table_new (NULL, NULL);

      for (guint i = 0; i < comments->len && start == NULL; i++)
        if (!g_hash_table_contains (visited, g_ptr_array_index (comments, i)))
          start = g_ptr_array_index (comments, i);
      if (start == NULL)
        break; /* The same object twice in @comments. */

      /* Climb the parents until one repeats: that one is in the cycle. */
      node = start;
      while (!g_hash_table_contains (path, node))
        {
          g_hash_table_add (path, node);
          node = g_hash_table_lookup (by_id, &node->parent);
          g_assert (node != NULL);
        }

      /* Break the cycle at its oldest comment. */
      oldest = node;
      for (KqComment *c = g_hash_table_lookup (by_id, &node->parent); c != node;
           c = g_hash_table_lookup (by_id, &c->parent))
        if (compare_comments (&c, &oldest) < 0)
          oldest = c;

      g_ptr_array_add (roots, oldest);
      {
        g_autoptr(GPtrArray) one = g_ptr_array_new ();
        g_ptr_array_add (one, oldest);
        walk (NULL, visited, children, one);
      }
    }

  g_hash_table_remove_all (visited);
  walk (result, visited, children, roots);

  return result;
}
