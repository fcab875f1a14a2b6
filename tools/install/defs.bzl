"""cc_install_files: the public headers and the static archive of a cc_library,
as plain files an install step can copy (a genrule cannot glob another
package's headers or tell its archive from its shared library)."""

def _cc_install_files_impl(ctx):
    info = ctx.attr.library[CcInfo]
    headers = info.compilation_context.direct_public_headers
    archives = []
    for linker_input in info.linking_context.linker_inputs.to_list():
        for lib in linker_input.libraries:
            # Prefer the PIC archive when the build made one: it links into
            # executables and shared objects alike.
            archive = lib.pic_static_library or lib.static_library
            if archive and archive.owner == ctx.attr.library.label:
                archives.append(archive)
    if len(archives) != 1:
        fail("%s: expected one static archive, found %s" % (ctx.attr.library.label, archives))
    return [DefaultInfo(files = depset(headers + archives))]

cc_install_files = rule(
    implementation = _cc_install_files_impl,
    attrs = {"library": attr.label(providers = [CcInfo], mandatory = True)},
)
