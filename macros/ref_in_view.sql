{#- A model's relation without its catalog, for a view: a view's query is bound in the catalog the
    view is in, so the published snapshot (another file, attached under another name) keeps
    reading its own tables. -#}
{% macro ref_in_view(model_name) -%}
    {{ return(ref(model_name).include(database=False)) }}
{%- endmacro %}
