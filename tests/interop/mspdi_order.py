#!/usr/bin/env python3
"""Check that every element of an MSPDI file is where the schema's sequences put it.

Usage: mspdi_order.py FILE.xml
MPXJ's MSPDI classes are generated from Microsoft's schema, and each keeps the schema's order
of its child elements (JAXB's `propOrder`). For every element of the file whose class MPXJ
has, this checks that its children come in that order and that each child is one the schema
allows there. MS Project refuses a file whose elements are out of order, though most other
readers do not mind, so this is the check that stands in for MS Project.
Prints each problem; exit status 0 when there is none, 1 otherwise, 2 when MPXJ is missing.
"""

import sys
import xml.etree.ElementTree as ET

from script_start import begin


def main():
    if begin(__doc__, "jpype", "mpxj") is None:
        return 2
    found = problems(sys.argv[1])
    for p in found:
        print(p)
    return 1 if found else 0


def problems(path):
    """What is out of the schema's order in the file at `path` (the JVM already started)."""
    import jpype
    from java.lang import Class
    XmlType = jpype.JClass("jakarta.xml.bind.annotation.XmlType")
    XmlElement = jpype.JClass("jakarta.xml.bind.annotation.XmlElement")

    cache = {}

    def order_of(class_name):
        if class_name not in cache:
            cache[class_name] = find_order(class_name)
        return cache[class_name]

    def find_order(class_name):
        """The schema's order of the children of the element bound to `class_name`:
        element name -> position, or None when MPXJ has no such class."""
        try:
            cls = Class.forName(class_name)
        except Exception:
            return None
        props = list(cls.getAnnotation(XmlType).propOrder())
        names = {}
        for field in cls.getDeclaredFields():
            annotation = field.getAnnotation(XmlElement)
            if annotation is not None and str(annotation.name()) != "##default":
                names[str(annotation.name())] = str(field.getName())
            else:
                names.setdefault(str(field.getName())[:1].upper() + str(field.getName())[1:],
                                 str(field.getName()))
        return {element: props.index(field) for element, field in names.items()
                if field in props}

    found = []
    tree = ET.parse(path)
    namespace = "{http://schemas.microsoft.com/project}"
    # (element, its class name, its path for messages)
    stack = [(tree.getroot(), "org.mpxj.mspdi.schema.Project", "Project")]
    checked = 0
    while stack:
        element, class_name, where = stack.pop()
        order = order_of(class_name)
        if order is None:
            continue
        checked += 1
        last = -1
        for child in element:
            name = child.tag.replace(namespace, "")
            if name not in order:
                found.append(f"{where}: <{name}> is not allowed here")
                continue
            position = order[name]
            if position < last:
                found.append(f"{where}: <{name}> comes after an element the schema puts after it")
            last = max(last, position)
            if len(child):
                stack.append((child, f"{class_name}${name}", f"{where}/{name}"))
    if checked < 3:
        found.append(f"only {checked} elements could be checked: MPXJ's classes were not found")
    return found


if __name__ == "__main__":
    sys.exit(main())
