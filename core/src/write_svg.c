/* <component>.svg: a self-contained flame graph (no network, no external
 * script) that opens in any browser. Frame widths are the folded stacks'
 * weights (a frame = its own weight plus its children's), the root at the
 * bottom; hover shows name, value and % of the total; a click zooms into a
 * frame, "Reset zoom" (or a click on the background) zooms out. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <timemory/formats.h>

#include "flame.h"
#include "internal.h"
#include "label_text.h"
#include "tree_walk.h"

enum { TM_SVG_WIDTH = 1200, TM_SVG_PAD = 10, TM_SVG_ROW = 17, TM_SVG_TOP = 44, TM_SVG_BOTTOM = 28 };

typedef struct tm_svg_frame {
    const tm_tree_node_t *node;
    uint64_t more; /* > 0: not the node but "[more more levels]" below it */
    int level;
    uint64_t x, w; /* in weight units */
} tm_svg_frame_t;

typedef struct tm_svg {
    int c;
    tm_svg_frame_t *frames;
    size_t n, cap;
    int levels;
    bool nomem;
} tm_svg_t;

static size_t tm_svg_frame_add(tm_svg_t *s, tm_svg_frame_t f) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        tm_svg_frame_t *grown = realloc(s->frames, cap * sizeof *grown);
        if (!grown) {
            s->nomem = true;
            return SIZE_MAX;
        }
        s->frames = grown, s->cap = cap;
    }
    if (f.level + 1 > s->levels) s->levels = f.level + 1;
    s->frames[s->n] = f;
    return s->n++;
}

/* Lays out the trees from x = 0 (a node's children first, its own weight
 * after them) and returns the total width. Dummies take no row: their
 * children take their place. Past the level cap a subtree becomes one
 * "[N more levels]" frame. */
static uint64_t tm_svg_place(tm_svg_t *s, const tm_tree_t *tree) {
    tm_tree_walk_t w;
    tm_tree_walk_start(&w, tree->roots, tree->n_roots);
    size_t *open = NULL, n_open = 0; /* per walk level: the node's frame */
    uint64_t x = 0;
    int row = 0; /* the row of the next real node */
    bool enter;
    for (const tm_tree_node_t *n; !s->nomem && (n = tm_tree_walk_next(&w, &enter));) {
        const size_t level = tm_tree_walk_level(&w, enter);
        if (n->is_dummy) continue;
        if (!enter) {
            x += tm_flame_weight(s->c, n);
            tm_svg_frame_t *f = &s->frames[open[level]];
            f->w = x - f->x;
            --row;
            continue;
        }
        if (level >= n_open) {
            size_t cap = 2 * level + 64;
            size_t *grown = realloc(open, cap * sizeof *grown);
            if (!grown) {
                s->nomem = true;
                break;
            }
            open = grown, n_open = cap;
        }
        open[level] = tm_svg_frame_add(s, (tm_svg_frame_t){n, 0, row, x, 0});
        ++row;
        if ((size_t)row < tm_flame_max_levels() || !n->n_children || s->nomem) continue;
        uint64_t below;
        size_t levels;
        if (!tm_flame_below(s->c, n, &below, &levels)) {
            s->nomem = true;
            break;
        }
        tm_tree_walk_prune(&w);
        if (below) tm_svg_frame_add(s, (tm_svg_frame_t){n, levels, row, x, below});
        x += below;
    }
    if (w.nomem) s->nomem = true;
    tm_tree_walk_end(&w);
    free(open);
    return x;
}

static const char tm_svg_script[] =
    "var "
    "P=10,W=1180,frames=[].slice.call(document.querySelectorAll('g.f')),details=document.getElementById('details');\n"
    "function fit(g){var r=g.firstElementChild.nextElementSibling,t=r.nextElementSibling,n=g.getAttribute('data-n'),\n"
    "  c=Math.floor((+r.getAttribute('width')-6)/7);t.setAttribute('x',+r.getAttribute('x')+3);\n"
    "  t.textContent=c<3?'':n.length<=c?n:n.slice(0,c-2)+'..';}\n"
    "function zoom(x0,w0){frames.forEach(function(g){var x=+g.getAttribute('data-x'),w=+g.getAttribute('data-w'),\n"
    "  a=(x-x0)/w0,b=(x+w-x0)/w0,r=g.firstElementChild.nextElementSibling;\n"
    "  if(b<=1e-9||a>=1-1e-9||w<=0){g.style.display='none';return;}\n"
    "  "
    "a=Math.max(0,a);b=Math.min(1,b);g.style.display='';r.setAttribute('x',P+a*W);r.setAttribute('width',(b-a)*W);fit("
    "g);});}\n"
    "frames.forEach(function(g){g.addEventListener('click',function(e){e.stopPropagation();\n"
    "  zoom(+g.getAttribute('data-x'),+g.getAttribute('data-w'));});\n"
    "  g.addEventListener('mouseover',function(){details.textContent=g.firstElementChild.textContent;});\n"
    "  g.addEventListener('mouseout',function(){details.textContent=' ';});});\n"
    "document.getElementById('reset').addEventListener('click',function(){zoom(0,1);});\n"
    "document.getElementById('bg').addEventListener('click',function(){zoom(0,1);});\n"
    "frames.forEach(fit);\n";

int tm_write_flamegraph_svg(int c, const tm_tree_t *tree, void *file) {
    FILE *out = file;
    const tm_component_desc_t *d = tm_component_desc(c);
    if (!out) return tm_fail(TM_E_INVALID, "flame graph output is NULL");
    if (!tree) return tm_fail(TM_E_INVALID, "flame graph: tree is NULL");
    if (!d) return tm_fail(TM_E_INVALID, "flame graph: unknown component %d", c);
    if (!tm_flame_additive(c))
        return tm_fail(TM_E_INVALID, "flame graphs need values that add up; '%s' is a %s", d->name,
                       d->kind == TM_KIND_RATIO ? "ratio" : "level");
    tm_svg_t s = {.c = c};
    const uint64_t total = tm_svg_place(&s, tree);
    if (s.nomem) {
        free(s.frames);
        return tm_fail(TM_E_NOMEM, "out of memory writing a flame graph");
    }
    const double inner = TM_SVG_WIDTH - 2 * TM_SVG_PAD;
    const double scale = tm_component_scale(c); /* raw units per display unit */
    const char *unit = tm_component_unit(c);
    const int height = TM_SVG_TOP + (s.levels ? s.levels : 1) * TM_SVG_ROW + TM_SVG_BOTTOM;
    fprintf(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
        "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        "viewBox=\"0 0 %d %d\" font-family=\"Verdana, sans-serif\" font-size=\"12\">\n"
        "<style>g.f{cursor:pointer} g.f:hover rect{stroke:#000;stroke-width:0.5} text{pointer-events:none}</style>\n"
        "<rect id=\"bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f8f8f0\"/>\n"
        "<text x=\"%d\" y=\"22\" font-size=\"16\" text-anchor=\"middle\">",
        TM_SVG_WIDTH, height, TM_SVG_WIDTH, height, TM_SVG_WIDTH, height, TM_SVG_WIDTH / 2);
    tm_xml_write_text(out, d->name);
    fputs(" (", out);
    tm_xml_write_text(out, *unit ? unit : "count");
    fprintf(out,
            ", total %.6g)</text>\n<text id=\"reset\" x=\"%d\" y=\"38\" style=\"cursor:pointer\">Reset zoom</text>\n",
            total / scale, TM_SVG_PAD);
    fprintf(out, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", TM_SVG_PAD, height - 10);
    for (size_t i = 0; i < s.n; ++i) {
        const tm_svg_frame_t *f = &s.frames[i];
        const double fx = total ? (double)f->x / (double)total : 0.0, fw = total ? (double)f->w / (double)total : 0.0;
        if (fw * inner < 0.1) continue; /* invisible at full width, as flamegraph.pl */
        const uint64_t h = f->more ? f->node->hash + 1 : f->node->hash;
        const int y = TM_SVG_TOP + (s.levels - 1 - f->level) * TM_SVG_ROW;
        char more[64];
        snprintf(more, sizeof more, "[%" PRIu64 " more levels]", f->more);
        const char *label = f->more ? more : f->node->label;
        fprintf(out, "<g class=\"f\" data-x=\"%.17g\" data-w=\"%.17g\" data-v=\"%" PRIu64 "\" data-n=\"", fx, fw, f->w);
        tm_xml_write_text(out, label);
        fputs("\"><title>", out);
        tm_xml_write_text(out, label);
        fprintf(out, " (%.6g %s, %.2f%%)</title>", f->w / scale, *unit ? unit : "count", 100.0 * fw);
        fprintf(out,
                "<rect x=\"%.3f\" y=\"%d\" width=\"%.3f\" height=\"%d\" rx=\"2\" fill=\"rgb(%d,%d,%d)\"/>"
                "<text x=\"%.3f\" y=\"%d\"></text></g>\n",
                TM_SVG_PAD + fx * inner, y, fw * inner, TM_SVG_ROW - 1, 205 + (int)(h % 50), (int)((h >> 8) % 180),
                (int)((h >> 16) % 55), TM_SVG_PAD + fx * inner + 3, y + TM_SVG_ROW - 5);
    }
    fprintf(out, "<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n</svg>\n", tm_svg_script);
    free(s.frames);
    return ferror(out) ? tm_fail(TM_E_IO, "error writing the %s flame graph", d->name) : TM_OK;
}
