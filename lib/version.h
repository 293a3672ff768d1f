/*
 * version.h - the one place custos's version is named.
 */
#ifndef CUSTOS_LIB_VERSION_H
#define CUSTOS_LIB_VERSION_H

#define CUSTOS_VERSION "0.1"

#endif
