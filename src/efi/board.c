/*
 * board.c - the compiled-in board configuration.
 *
 * mk/efi.mk turns boards/<BOARD>.conf into build/efi/board-<BOARD>.h
 * (BOARD_NAME, BOARD_CONFIG: the .conf's settings as one "key=value ..."
 * string) and compiles this file once per board, so only this object
 * differs between board images.
 */
#include "efiboot.h"
#include BOARD_HEADER

const char efi_board_name[] = BOARD_NAME;
const char efi_board_config[] = BOARD_CONFIG;
