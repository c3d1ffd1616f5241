"""The prescription sheet as content: what a patient reads, in reading order, with no layout.

`content.build_sheet` turns a protocol (with the prescription applied), the clinic and the
language into a `document.Sheet`: sections, headings, paragraphs, lists, the stop box, the
exercise cards, the log. Two writers print that one document: `protocol_kit.render` as a PDF
(reportlab) and `protocol_kit.sheet.html` as one self-contained HTML file. One source for
both means the same texts in the same order. Nothing in this package imports reportlab.
"""
